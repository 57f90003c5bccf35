FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

# reached through the gateway service of nginx-compose/docker-compose.yml (proxy_pass http://site)
FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
