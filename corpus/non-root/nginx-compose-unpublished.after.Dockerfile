FROM node:20 AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build

# a compose service nothing publishes nor reaches: the port moves
FROM nginx:1.27-alpine
RUN sed -i -E -e '/^[[:space:]]*user[[:space:]]/d' \
        -e 's,^([[:space:]]*pid[[:space:]]+)[^;]*;,\1/tmp/nginx.pid;,' \
        -e '/^[[:space:]]*http[[:space:]]*\{/a\    client_body_temp_path /tmp/client_temp;\n    proxy_temp_path /tmp/proxy_temp;\n    fastcgi_temp_path /tmp/fastcgi_temp;\n    uwsgi_temp_path /tmp/uwsgi_temp;\n    scgi_temp_path /tmp/scgi_temp;' \
        /etc/nginx/nginx.conf \
    && sed -i -E -e 's/^([[:space:]]*listen[[:space:]]+([^;[:space:]]*:)?)80([[:space:];])/\18080\3/' /etc/nginx/conf.d/default.conf \
    && chown -R nginx:nginx /var/cache/nginx
COPY --from=build /app/dist /usr/share/nginx/html
USER 101:101
EXPOSE 8080
