FROM debian
# dockwright: ignore[apt-cleanup]
RUN apt-get update && apt-get install -y gcc
