FROM golang:1.22-alpine AS builder
RUN addgroup -S -g 10001 app && adduser -S -D -u 10001 -G app app
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM scratch
COPY --from=builder /etc/passwd /etc/group /etc/
COPY --from=builder /out/app /app
ENTRYPOINT ["/app"]
