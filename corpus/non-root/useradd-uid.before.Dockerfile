FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1500 --shell /bin/bash svc
WORKDIR /opt/svc
COPY svc /opt/svc/svc
CMD ["/opt/svc/svc"]
