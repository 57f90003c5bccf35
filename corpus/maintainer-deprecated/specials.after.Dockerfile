from alpine
label org.opencontainers.image.authors="\"Ops\" \$TEAM \\ops"
