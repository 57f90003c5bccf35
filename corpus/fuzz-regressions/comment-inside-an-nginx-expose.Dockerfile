#
FROM nginx
EXPOSE \

RUN apt-get update \
    # the compiler
    80 443/tcp
