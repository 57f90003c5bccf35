FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
 && mkdir -p /srv/app && chown app:app /srv/app
WORKDIR /srv/app
COPY --chown=app:app app.py ./
USER 10001:10001
CMD ["python3", "app.py"]
