FROM nginx:1.25
COPY nginx-site/port-81.conf /etc/nginx/conf.d/default.conf
COPY nginx-site/dist/ /usr/share/nginx/html/
EXPOSE 81
