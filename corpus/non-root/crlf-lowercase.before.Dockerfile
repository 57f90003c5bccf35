FROM node:20-alpine
workdir /app
copy package.json .
run apk add --no-cache git \
    && npm install
copy . .
cmd ["node", "index.js"]
