arg BASE=alpine
from ${BASE}
run echo a
RUN echo b
workdir /app
