FROM ubuntu:22.04
WORKDIR /work
RUN apt-get update && apt-get install -y openssh-client python3 && rm -rf /var/lib/apt/lists/*
COPY boot.sh .
RUN mkdir ssh && ssh-keygen -t rsa -f ssh/id_rsa -N ""
CMD ["./boot.sh"]
