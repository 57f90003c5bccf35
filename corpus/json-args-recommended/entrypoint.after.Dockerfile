FROM alpine
entrypoint ["/usr/local/bin/server", "--port", "80"]
