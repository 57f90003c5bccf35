# Run with: docker run --privileged -v /lib/modules:/lib/modules:ro ghcr.io/example/probe
FROM debian:bookworm-slim
WORKDIR /opt/probe
COPY probe /opt/probe/probe
CMD ["/opt/probe/probe"]
