FROM alpine:3.19
COPY crontab /etc/crontabs/root
CMD ["crond", "-f", "-l", "2"]
