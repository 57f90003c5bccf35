from debian as Base
run echo lower
Run echo mixed
copy . /app
