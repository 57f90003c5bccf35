FROM rust:1.79
WORKDIR /usr/src/app
COPY . .
RUN cargo build --release
CMD ["cargo", "test"]
