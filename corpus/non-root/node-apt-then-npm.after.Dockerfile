FROM node:20
RUN apt-get update && apt-get install -y --no-install-recommends imagemagick && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /home/node/app && chown node:node /home/node/app
WORKDIR /home/node/app
COPY --chown=node:node package.json yarn.lock ./
USER 1000:1000
RUN yarn install --frozen-lockfile
COPY --chown=node:node . .
RUN yarn build
CMD ["yarn", "start"]
