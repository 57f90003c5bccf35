FROM golang:1.22-alpine AS build
RUN adduser -D -u 10001 appuser
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /server .

FROM scratch
COPY --from=build /etc/passwd /etc/passwd
COPY --from=build /server /server
USER appuser
ENTRYPOINT ["/server"]
