FROM nginx:1.25
COPY nginx-site/spa.conf /etc/nginx/templates/default.conf.template
COPY nginx-site/dist/ /usr/share/nginx/html/
