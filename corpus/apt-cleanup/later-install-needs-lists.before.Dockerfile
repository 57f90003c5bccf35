FROM debian
RUN apt-get update && apt-get install -y --no-install-recommends gcc
RUN apt-get install -y --no-install-recommends make
