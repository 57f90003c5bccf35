FROM debian
# comment
RUN apt-get update \
    && echo hi
CMD ["bash"]
