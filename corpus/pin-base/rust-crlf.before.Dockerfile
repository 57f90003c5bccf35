FROM rust:slim-bookworm
RUN cargo build --release
