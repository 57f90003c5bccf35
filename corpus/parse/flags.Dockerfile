FROM --platform=$BUILDPLATFORM golang:1.22 AS build
COPY --from=build --chown=app:app --chmod=644 --link /out /app
ADD --checksum=sha256:abc --keep-git-dir=true https://example.com/x /x
RUN --mount=type=secret,id=t --network=none --security=insecure true
