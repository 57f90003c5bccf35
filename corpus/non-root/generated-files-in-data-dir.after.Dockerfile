FROM ubuntu:22.04
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
    && mkdir -p /work && chown app:app /work
WORKDIR /work
RUN apt-get update && apt-get install -y openssh-client python3 && rm -rf /var/lib/apt/lists/*
COPY --chown=app:app boot.sh .
RUN mkdir ssh && ssh-keygen -t rsa -f ssh/id_rsa -N ""
RUN chown -R app:app /work/ssh
USER 10001:10001
CMD ["./boot.sh"]
