# docker run -d -v /tmp/.X11-unix:/tmp/.X11-unix -e DISPLAY=unix$DISPLAY \
#	-v $HOME/Pictures:/root/Pictures jess/gimp
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y gimp && rm -rf /var/lib/apt/lists/*
ENTRYPOINT ["gimp"]
