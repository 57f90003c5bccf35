FROM alpine
# BuildKit 0.12: after ${v: any character goes; # and % are unsupported, so no heredoc
RUN echo ${v:U} <<EOF
hello
EOF
RUN echo "${p#}" <<EOF
EOF
RUN ${%} <<X
X
