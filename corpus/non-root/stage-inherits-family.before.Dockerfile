FROM registry.internal/acme/base:3 AS base
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*

FROM base AS app
WORKDIR /app
COPY . .
CMD ["python3", "app.py"]
