FROM python:3.12-slim
RUN pip install --no-cache-dir supervisor gunicorn
WORKDIR /app
COPY . .
CMD ["supervisord", "-n", "-c", "/app/supervisord.conf"]
