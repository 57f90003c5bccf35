FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends suricata && rm -rf /var/lib/apt/lists/*
CMD ["suricata", "-i", "eth0"]
