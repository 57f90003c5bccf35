FROM node:20-alpine
run mkdir -p /app && chown node:node /app
workdir /app
copy --chown=node:node package.json .
run apk add --no-cache git \
    && npm install
copy --chown=node:node . .
user 1000:1000
cmd ["node", "index.js"]
