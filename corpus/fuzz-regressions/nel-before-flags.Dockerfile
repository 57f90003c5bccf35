FROM golang AS builder
FROM scratch
COPY --from=builder /etc/passwd /etc/passwd
COPY  --chown=1 a /b
