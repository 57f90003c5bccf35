FROM debian:bookworm-slim
WORKDIR /app
COPY server chmod-entrypoint.sh ./
ENTRYPOINT ["./chmod-entrypoint.sh"]
CMD ["./server"]
