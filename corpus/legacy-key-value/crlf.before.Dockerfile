FROM alpine
ENV MSG hello  world
ENV LIST \
    a \
    b
