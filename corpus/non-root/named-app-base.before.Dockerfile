FROM python:3.12-slim
RUN pip install --no-cache-dir gunicorn flask
WORKDIR /app
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
