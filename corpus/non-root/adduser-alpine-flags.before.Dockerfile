FROM python:3.12-alpine
RUN addgroup -S -g 1001 web && adduser -S -D -H -u 1001 -G web web
WORKDIR /app
COPY . .
CMD ["python", "server.py"]
