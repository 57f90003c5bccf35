FROM alpine
RUN apk add --no-cache curl
COPY . /app
CMD ["sh"]
