FROM alpine:3.19
RUN apk add \
      bash \
      tini
