FROM debian:bookworm-slim
WORKDIR /app
COPY server apt-entrypoint.sh ./
ENTRYPOINT ["./apt-entrypoint.sh"]
