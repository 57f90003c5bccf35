FROM nginx:1.25
COPY nginx-site/nginx.conf /etc/nginx/nginx.conf
COPY nginx-site/dist/ /srv/www/
