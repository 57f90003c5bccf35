FROM python:3.12-slim
WORKDIR /app
COPY watch.py .
VOLUME /var/run/docker.sock
CMD ["python", "watch.py"]
