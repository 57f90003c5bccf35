FROM alpine:3.20
RUN apk add --no-cache aws-cli && mkdir -p /root/.aws && echo "[default]" > /root/.aws/config
ENTRYPOINT ["aws"]
