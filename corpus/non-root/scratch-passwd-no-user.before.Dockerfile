FROM golang:1.22-alpine AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM scratch
COPY --from=builder /etc/passwd /etc/passwd
COPY --from=builder /out/app /app
ENTRYPOINT ["/app"]
