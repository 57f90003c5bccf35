FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY profile.sh /etc/profile.d/tools.sh
CMD ["/bin/bash", "-l"]
