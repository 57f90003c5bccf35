FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY bin/agent /usr/local/bin/agent
USER root
ENTRYPOINT ["agent"]
