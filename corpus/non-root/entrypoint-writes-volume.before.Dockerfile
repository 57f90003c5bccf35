FROM ubuntu:22.04
WORKDIR /work
COPY share-keys.sh .
CMD ["./share-keys.sh"]
