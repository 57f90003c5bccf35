FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN mkdir -p /data/uploads
VOLUME /data
CMD ["python", "app.py"]
