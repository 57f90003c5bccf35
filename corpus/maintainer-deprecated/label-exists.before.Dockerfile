FROM alpine
LABEL org.opencontainers.image.authors="ops@example.com"
MAINTAINER Jane
