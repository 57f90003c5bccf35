ARG X=1
FROM alpine
RUN echo $X
