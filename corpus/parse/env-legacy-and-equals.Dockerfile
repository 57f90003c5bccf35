FROM debian
ENV PATH /usr/local/bin:$PATH
ENV A=1 B="two words" C=three\ words
LABEL maintainer "someone"
LABEL a=b c="d e"
