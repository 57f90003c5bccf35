FROM debian
RUN echo bom
