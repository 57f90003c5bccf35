FROM python:3.11-slim
RUN groupadd -r -g 999 worker && useradd -r -g worker -u 999 worker
RUN mkdir -p /srv/worker && chown worker:worker /srv/worker
WORKDIR /srv/worker
COPY --chown=worker:worker . .
USER 999:999
CMD ["python", "worker.py"]
