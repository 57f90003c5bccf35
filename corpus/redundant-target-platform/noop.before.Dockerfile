FROM --platform=$BUILDPLATFORM golang AS build
FROM alpine
