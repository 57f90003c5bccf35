FROM node:20
RUN npm install -g pm2 && npm cache clean --force
