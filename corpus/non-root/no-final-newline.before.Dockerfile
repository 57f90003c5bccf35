FROM alpine:3.19
CMD ["/app/run"]
COPY run /app/run
RUN chmod +x /app/run