FROM python:3.11-slim
RUN groupadd -r worker && useradd -r -g worker -u 999 worker
RUN mkdir -p /srv/worker && chown worker:worker /srv/worker
WORKDIR /srv/worker
COPY --chown=worker:worker . .
USER worker
CMD ["python", "worker.py"]
