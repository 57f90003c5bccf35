FROM registry.example.com/platform/base-image:2.3
COPY app /usr/local/bin/app
CMD ["app"]
