FROM debian
RUN echo \\
RUN echo next
