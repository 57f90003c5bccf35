# the web app
FROM node:lts-alpine AS build
RUN npm ci

FROM node AS runtime
COPY --from=build /app /app
