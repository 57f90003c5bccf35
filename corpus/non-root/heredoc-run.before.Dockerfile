# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOT
set -eux
apt-get update
apt-get install -y --no-install-recommends python3
rm -rf /var/lib/apt/lists/*
EOT
WORKDIR /app
COPY app.py .
CMD ["python3", "app.py"]
