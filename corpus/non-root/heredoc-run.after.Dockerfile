# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOT
set -eux
apt-get update
apt-get install -y --no-install-recommends python3
rm -rf /var/lib/apt/lists/*
EOT
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
    && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app app.py .
USER 10001:10001
CMD ["python3", "app.py"]
