FROM alpine:3.19
RUN apk add --no-cache docker-cli python3
WORKDIR /app
COPY deploy.py .
CMD ["python3", "deploy.py"]
