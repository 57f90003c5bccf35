FROM node:20 AS dev
WORKDIR /app
COPY . .
RUN npm ci
CMD ["npm", "run", "dev"]

FROM dev AS build
RUN npm run build

# compose publishes 3000:80 of the dev stage (`target: dev`), not of this one: the port moves
FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
