FROM --platform=$TARGETPLATFORM alpine AS a
FROM --platform=${TARGETPLATFORM} --link alpine
FROM --platform=$BUILDPLATFORM golang AS b
