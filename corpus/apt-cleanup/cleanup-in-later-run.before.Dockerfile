FROM debian
RUN apt-get update && apt-get install -y --no-install-recommends make
# tidy up
RUN rm -rf /var/lib/apt/lists/*
CMD ["make"]
