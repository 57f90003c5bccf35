FROM python:3.12-alpine
RUN addgroup -S -g 1001 web && adduser -S -D -H -u 1001 -G web web
RUN mkdir -p /app && chown web:web /app
WORKDIR /app
COPY --chown=web:web . .
USER 1001:1001
CMD ["python", "server.py"]
