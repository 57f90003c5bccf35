FROM alpine:3.19
CMD ["/app/run"]
COPY run /app/run
RUN chmod +x /app/run
RUN addgroup -S -g 10001 app \
    && adduser -S -u 10001 -G app app
USER 10001:10001