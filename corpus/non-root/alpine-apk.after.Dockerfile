FROM alpine:3.19
RUN apk add --no-cache ruby
RUN addgroup -S -g 10001 app \
    && adduser -S -u 10001 -G app app \
    && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app server.rb .
EXPOSE 4567
USER 10001:10001
CMD ["ruby", "server.rb"]
