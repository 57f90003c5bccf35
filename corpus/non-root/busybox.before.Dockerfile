FROM busybox:1.36
COPY hello.txt /srv/hello.txt
CMD ["cat", "/srv/hello.txt"]
