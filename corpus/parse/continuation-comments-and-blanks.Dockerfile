FROM debian
RUN apt-get update \
    # install the tools
    && apt-get install -y curl \

    && echo done
