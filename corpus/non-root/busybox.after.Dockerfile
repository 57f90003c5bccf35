FROM busybox:1.36
COPY hello.txt /srv/hello.txt
RUN addgroup -S -g 10001 app \
    && adduser -S -u 10001 -G app app
USER 10001:10001
CMD ["cat", "/srv/hello.txt"]
