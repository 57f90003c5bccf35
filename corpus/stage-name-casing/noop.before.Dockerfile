FROM alpine AS build
FROM scratch
COPY --from=build /bin/sh /sh
