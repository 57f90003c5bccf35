FROM debian
FROBNICATE the thing
RUN echo ok
