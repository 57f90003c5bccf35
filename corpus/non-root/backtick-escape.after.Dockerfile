# escape=`
FROM debian:bookworm-slim
RUN apt-get update `
    && apt-get install -y --no-install-recommends curl `
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app `
    && useradd --system --uid 10001 --gid app --no-log-init --create-home app `
    && mkdir -p /opt/tool && chown app:app /opt/tool
WORKDIR /opt/tool
COPY --chown=app:app tool.sh .
USER 10001:10001
CMD ["/opt/tool/tool.sh"]
