FROM debian
RUN --mount=type=cache,target=/root/.cache \
    <<EOF
pip install x
EOF
