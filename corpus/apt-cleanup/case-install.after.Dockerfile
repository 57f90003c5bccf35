FROM debian:bookworm-slim
ARG TARGETARCH
RUN apt-get update && \
    case "$TARGETARCH" in \
      amd64) apt-get install -y --no-install-recommends libc6-dev-i386 ;; \
      *) echo "nothing for $TARGETARCH" ;; \
    esac && \
    rm -rf /var/lib/apt/lists/*
