FROM debian:bookworm-slim
RUN mkdir -p /etc/myapp
COPY etc-writer/run /usr/local/bin/run
CMD ["/usr/local/bin/run"]
