FROM debian:bookworm-slim
# `done done` is valid shell that this analysis keeps opaque: no cleanup can be appended after it
RUN apt-get update && apt-get install -y --no-install-recommends tree && for a in 1 2; do for b in x y; do echo "$a$b"; done done
