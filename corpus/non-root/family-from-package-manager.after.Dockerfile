FROM registry.internal/acme/base:3
RUN apk add --no-cache nodejs
RUN addgroup -S -g 10001 app \
    && adduser -S -u 10001 -G app app \
    && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app . .
USER 10001:10001
CMD ["node", "index.js"]
