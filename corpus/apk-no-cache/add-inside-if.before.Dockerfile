FROM alpine:3.19
ARG WITH_GIT=0
RUN apk update && \
    if [ "$WITH_GIT" = 1 ]; then apk add git; fi && \
    apk add curl
