FROM python:3.12-slim
USER nobody
WORKDIR /srv
USER root
RUN pip install --no-cache-dir httpie
CMD ["http", "--version"]
