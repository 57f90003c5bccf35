FROM rust:1.76.0-slim-bookworm
RUN cargo build --release
