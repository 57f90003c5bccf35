FROM python:3.12-slim
WORKDIR /app
COPY . .
VOLUME /var/lib/app-data
CMD ["python", "app.py"]
