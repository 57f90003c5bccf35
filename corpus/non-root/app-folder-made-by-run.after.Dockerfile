FROM node:18-alpine
RUN mkdir -p /usr/src/app && chown node:node /usr/src/app
WORKDIR /usr/src/app
COPY --chown=node:node package.json ./
USER 1000:1000
RUN npm install
COPY --chown=node:node . .
CMD ["node", "server.js"]
