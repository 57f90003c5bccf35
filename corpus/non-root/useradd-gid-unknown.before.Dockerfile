FROM python:3.11-slim
RUN groupadd -r worker && useradd -r -g worker -u 999 worker
WORKDIR /srv/worker
COPY . .
CMD ["python", "worker.py"]
