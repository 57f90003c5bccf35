# escape=`
FROM debian:bookworm-slim
RUN apt-get update `
    && apt-get install -y --no-install-recommends curl `
    && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/tool
COPY tool.sh .
CMD ["/opt/tool/tool.sh"]
