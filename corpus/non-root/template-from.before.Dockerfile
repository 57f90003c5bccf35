FROM php:{{ version }}-cli-alpine
WORKDIR /home/app
COPY . /home/app
ENTRYPOINT ["php", "bin/app"]
