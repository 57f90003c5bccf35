# syntax=docker/dockerfile:1
FROM debian
RUN <<EOF
set -e
echo hi
EOF
