FROM debian:bookworm-slim
RUN set -eux; \
    if ! command -v curl; then \
        apt-get update; \
        apt-get install -y --no-install-recommends curl; \
        rm -rf /var/lib/apt/lists/*; \
    fi
