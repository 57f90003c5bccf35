FROM debian:bookworm-slim
COPY node_exporter /bin/node_exporter
ENTRYPOINT ["/bin/node_exporter", "--path.procfs=/host/proc", "--path.sysfs=/host/sys", "--web.listen-address=:9100"]
