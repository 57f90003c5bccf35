FROM python:3.12-slim
RUN pip install --no-cache-dir requests
COPY official-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["python3"]
