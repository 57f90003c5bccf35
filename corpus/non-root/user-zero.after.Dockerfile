FROM alpine:3.20
COPY bin/agent /usr/local/bin/agent
RUN addgroup -S -g 10001 app \
    && adduser -S -u 10001 -G app app
USER 10001:10001
ENTRYPOINT ["agent", "--serve"]
