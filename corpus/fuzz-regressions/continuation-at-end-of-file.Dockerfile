FROM node
CMD ""
RUN\