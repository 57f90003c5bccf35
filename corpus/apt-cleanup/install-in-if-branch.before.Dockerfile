FROM debian:bookworm-slim
ARG WITH_GIT=false
# git only when asked for
RUN apt-get update \
    && apt-get install -y curl \
    && if [ "$WITH_GIT" = true ]; then \
           apt-get install git; \
       fi
