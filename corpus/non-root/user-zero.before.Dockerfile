FROM alpine:3.20
COPY bin/agent /usr/local/bin/agent
USER 0:0
ENTRYPOINT ["agent", "--serve"]
