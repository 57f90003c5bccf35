FROM debian:bookworm-slim
ARG WITH_GIT=false
# git only when asked for
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl ca-certificates \
    && if [ "$WITH_GIT" = true ]; then \
           apt-get install -y --no-install-recommends git ca-certificates; \
       fi \
    && rm -rf /var/lib/apt/lists/*
