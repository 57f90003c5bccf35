FROM python:3.11-slim
RUN groupadd -r -g 999 worker && useradd -r -g worker -u 999 worker
WORKDIR /srv/worker
COPY . .
CMD ["python", "worker.py"]
