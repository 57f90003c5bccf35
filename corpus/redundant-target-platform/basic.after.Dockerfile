FROM alpine AS a
FROM --link alpine
FROM --platform=$BUILDPLATFORM golang AS b
