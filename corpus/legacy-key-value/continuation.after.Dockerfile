FROM debian:12
ENV DEPS="curl \
    # the VCS
    git \
    make"
ENV EMPTY_GAP=value
