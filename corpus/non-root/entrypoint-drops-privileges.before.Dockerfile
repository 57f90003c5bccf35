FROM python:3.12-slim
WORKDIR /app
COPY . .
COPY gosu-entrypoint.sh /usr/local/bin/entrypoint.sh
ENTRYPOINT ["entrypoint.sh"]
CMD ["python", "app.py"]
