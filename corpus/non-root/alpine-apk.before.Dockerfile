FROM alpine:3.19
RUN apk add --no-cache ruby
WORKDIR /app
COPY server.rb .
EXPOSE 4567
CMD ["ruby", "server.rb"]
