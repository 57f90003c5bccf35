FROM debian
RUN apt-get update && apt-get install -y curl git zip \
  && rm -rf /var/lib/apt/lists/*
