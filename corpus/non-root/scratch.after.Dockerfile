FROM rust:1.79 AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM scratch
WORKDIR /app
COPY --from=build --chown=65532:65532 /src/target/release/tool ./tool
USER 65532:65532
ENTRYPOINT ["/app/tool"]
