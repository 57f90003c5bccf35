FROM golang:1.22-alpine AS build
FROM gcr.io/distroless/static-debian12
