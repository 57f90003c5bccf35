arg BASE=alpine
from ${BASE}
run echo a
run echo b
workdir /app
