FROM golang:1.22 AS Builder
WORKDIR /src
RUN go build -o /app .

FROM alpine AS Runtime
RUN --mount=type=bind,target=/mnt,from=BUILDER ls /mnt
COPY --from=Builder /app /app
CMD ["/app"]
