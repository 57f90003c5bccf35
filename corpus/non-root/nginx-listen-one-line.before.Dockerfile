FROM nginx:1.25
RUN rm /etc/nginx/conf.d/default.conf
COPY nginx-site/one-line.conf /etc/nginx/conf.d/site.conf
COPY nginx-site/dist/ /usr/share/nginx/html/
