FROM debian:12
RUN apt-get update && \

    # curl for the health check
    apt-get install -y curl && \
      
    rm -rf /var/lib/apt/lists/*
