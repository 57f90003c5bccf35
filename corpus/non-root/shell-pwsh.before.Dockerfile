FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends powershell && rm -rf /var/lib/apt/lists/*
WORKDIR /scripts
COPY . .
ENTRYPOINT ["pwsh"]
