FROM python:3.11-slim
WORKDIR /opt/collector
COPY collector.py .
RUN mkdir -p /var/spool/collector
CMD ["python", "collector.py", "--pidfile", "/var/run/collector.pid"]
