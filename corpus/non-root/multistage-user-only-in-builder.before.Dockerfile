# The builder runs as its own user; the final stage inherits it, so it is not root.
FROM node:20 AS builder
USER node
WORKDIR /home/node/app
COPY --chown=node:node . .
RUN npm ci && npm run build

FROM builder AS runtime
ENV NODE_ENV=production
CMD ["node", "dist/server.js"]
