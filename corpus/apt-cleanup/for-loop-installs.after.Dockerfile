FROM ubuntu:22.04
RUN apt-get update && for pkg in jq make; do apt-get install -y --no-install-recommends "$pkg"; done && rm -rf /var/lib/apt/lists/*
