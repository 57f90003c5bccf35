# syntax=docker/dockerfile:1
# escape=\
# check=skip=JSONArgsRecommended
FROM alpine
RUN echo hi
