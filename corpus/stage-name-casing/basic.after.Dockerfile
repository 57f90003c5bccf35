FROM golang:1.22 AS builder
WORKDIR /src
RUN go build -o /app .

FROM alpine AS runtime
RUN --mount=type=bind,target=/mnt,from=builder ls /mnt
COPY --from=builder /app /app
CMD ["/app"]
