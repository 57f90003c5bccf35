FROM alpine:3.19
RUN apk upgrade && apk add --no-cache curl
