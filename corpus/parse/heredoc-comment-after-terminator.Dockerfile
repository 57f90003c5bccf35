FROM debian
RUN <<EOF
echo hi
EOF
# a comment right after the terminator
RUN echo next
