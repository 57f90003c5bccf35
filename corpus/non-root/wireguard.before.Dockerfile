FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends wireguard-tools iproute2 && rm -rf /var/lib/apt/lists/*
WORKDIR /etc/wireguard
CMD wg-quick up wg0 && sleep infinity
