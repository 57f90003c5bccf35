FROM debian:12
# who to blame
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
RUN true
