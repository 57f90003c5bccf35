FROM debian
RUN <<EOF
echo never ends
