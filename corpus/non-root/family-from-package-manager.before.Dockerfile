FROM registry.internal/acme/base:3
RUN apk add --no-cache nodejs
WORKDIR /app
COPY . .
CMD ["node", "index.js"]
