FROM alpine:3.19 AS rootfs
RUN apk add --no-cache ca-certificates tzdata

FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM scratch
COPY --from=rootfs / /
COPY --from=build /out/server /usr/local/bin/server
EXPOSE 8080
RUN addgroup -S -g 10001 app \
    && adduser -S -u 10001 -G app app
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/server"]
