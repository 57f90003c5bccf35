FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1500 --shell /bin/bash svc
RUN mkdir -p /opt/svc && chown svc:svc /opt/svc
WORKDIR /opt/svc
COPY --chown=svc:svc svc /opt/svc/svc
USER 1500:1500
CMD ["/opt/svc/svc"]
