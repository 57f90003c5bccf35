FROM debian:bookworm-slim
COPY --from=docker:27-cli /usr/local/bin/docker /usr/local/bin/docker
WORKDIR /app
COPY cleanup /app/cleanup
CMD ["/app/cleanup"]
