FROM golang:alpine AS build
FROM gcr.io/distroless/static-debian12
