FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY start-app.sh /start.sh
ENTRYPOINT ["/start.sh"]
CMD ["gunicorn", "-b", "0.0.0.0:8000", "site.wsgi"]
