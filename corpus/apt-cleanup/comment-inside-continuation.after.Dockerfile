FROM debian
RUN apt-get update \
    # the compiler
    && apt-get install -y --no-install-recommends gcc \
    && rm -rf /var/lib/apt/lists/*
