# an nginx image of our own with the njs module, a base for the team's sites
FROM nginx:1.25-alpine-slim
RUN apk add --no-cache nginx-module-njs=${NGINX_VERSION}-r1
