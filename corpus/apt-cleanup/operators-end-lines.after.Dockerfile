FROM debian
RUN apt-get update && \
    apt-get install -y --no-install-recommends wget && \
    echo done && \
    rm -rf /var/lib/apt/lists/*
