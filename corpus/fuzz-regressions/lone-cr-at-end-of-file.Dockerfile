FROMY . .
CMD ""
RUN yum