FROM alpine
ENV MSG hello "big world"
