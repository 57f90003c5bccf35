FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends tree \
    && for d in a b; do rm -rf /var/lib/apt/lists/*; done
