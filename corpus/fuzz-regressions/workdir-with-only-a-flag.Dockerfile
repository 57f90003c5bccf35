FROM node:20
WORKDIR /home/node/app
WORKDIR --x
COPY . .
RUN yarn install --frozen-lockfile
CMD ["yarn", "start"]
