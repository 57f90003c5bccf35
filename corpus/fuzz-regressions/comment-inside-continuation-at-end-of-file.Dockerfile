FROM node
CMD ""
MAINTAINER me
RUN\
# dockwright: ignore