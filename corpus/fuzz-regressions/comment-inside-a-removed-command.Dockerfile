FROM alpine:3.19
RUN apk update \
    # the index
    && apk add curl \
    && apk version
RUN apk update && apk add git \
    # last
    && apk add jq
