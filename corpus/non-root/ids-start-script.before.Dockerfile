FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY start-ids.sh /usr/local/bin/start-ids.sh
ENTRYPOINT ["/usr/local/bin/start-ids.sh"]
