FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx && rm -rf /var/lib/apt/lists/*
COPY site/ /var/www/html/
CMD ["nginx", "-g", "daemon off;"]
