FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

# published by nginx-compose/docker-compose.yml as 8080:80
FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
