FROM python:3.12-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*

FROM base AS final
RUN pip install --no-cache-dir psycopg
WORKDIR /srv
