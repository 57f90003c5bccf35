# the web app
FROM node:20.11.1-alpine AS build
RUN npm ci

FROM node:20.11.1 AS runtime
COPY --from=build /app /app
