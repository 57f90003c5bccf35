FROM debian:bookworm

# refresh the lists
RUN \
# c
    apt-get update
# tools
RUN apt-get install -y \
        curl \
        git
