FROM debian:bookworm-slim
RUN mkdir -p /etc/myapp && chmod -R g+w /etc/myapp
COPY bin/agent /usr/local/bin/agent
CMD ["/usr/local/bin/agent"]
