FROM alpine:3.19
RUN apk add --no-cache iproute2 python3
WORKDIR /app
COPY gateway.py route-entrypoint.sh ./
ENTRYPOINT ["./route-entrypoint.sh"]
CMD ["python3", "gateway.py"]
