FROM rust:1.79 AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM scratch
WORKDIR /app
COPY --from=build /src/target/release/tool ./tool
ENTRYPOINT ["/app/tool"]
