FROM alpine
run apk add --no-cache curl
Copy . /app
CMD ["sh"]
