FROM python:3.12-slim
WORKDIR /app
COPY . .
ENTRYPOINT ["./docker-entrypoint.sh"]
