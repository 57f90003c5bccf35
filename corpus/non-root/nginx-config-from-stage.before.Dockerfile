FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build && node scripts/render-nginx.js > nginx.conf

FROM nginx:1.25
COPY --from=build /app/dist /usr/share/nginx/html
COPY --from=build /app/nginx.conf /etc/nginx/conf.d/default.conf
