FROM alpine:3.21
ARG DOCKER_CLI_VERSION=27.3.1
RUN wget -O- https://download.docker.com/linux/static/stable/x86_64/docker-${DOCKER_CLI_VERSION}.tgz | \
    tar -xzf - docker/docker --strip-component=1 -C /usr/local/bin
COPY inspector /usr/local/bin/
ENTRYPOINT ["/usr/local/bin/inspector"]
