FROM alpine:3.19
ARG WITH_GIT=0
RUN if [ "$WITH_GIT" = 1 ]; then apk add --no-cache git; fi && \
    apk add --no-cache curl
