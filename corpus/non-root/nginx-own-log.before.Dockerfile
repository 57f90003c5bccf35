FROM nginx:1.25
COPY nginx-site/own-log.conf /etc/nginx/conf.d/default.conf
COPY nginx-site/dist/ /usr/share/nginx/html/
