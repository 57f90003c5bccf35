FROM golang:1.21-bulls&&eye

WORKDIR /src
COPY . .
# build the server
RUN go build -o /usr/local/bin/greeter .

EXPOSE 80`80
CMD -- ['"greeter"]
