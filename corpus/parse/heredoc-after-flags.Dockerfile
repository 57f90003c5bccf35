FROM debian
RUN --mount=type=cache,target=/var/cache/apt <<EOF
apt-get update
EOF
