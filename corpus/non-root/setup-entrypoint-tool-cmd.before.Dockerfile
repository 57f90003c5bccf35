FROM ubuntu:20.04
RUN apt-get update && apt-get install -y --no-install-recommends gazebo11 && rm -rf /var/lib/apt/lists/*
EXPOSE 11345
COPY ./gzserver_entrypoint.sh /
ENTRYPOINT ["/gzserver_entrypoint.sh"]
CMD ["gzserver"]
