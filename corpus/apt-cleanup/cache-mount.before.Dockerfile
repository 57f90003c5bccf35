# syntax=docker/dockerfile:1
FROM debian
RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt \
    apt-get update && apt-get install -y gcc
