FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

# deployed by kamal (config/deploy.yml)
FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
