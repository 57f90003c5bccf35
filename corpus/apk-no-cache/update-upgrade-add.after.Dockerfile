FROM alpine:3.19
# keep the base patched: refresh the index, apply security updates, then add our tools
RUN apk upgrade --no-cache && apk add --no-cache curl jq tini
