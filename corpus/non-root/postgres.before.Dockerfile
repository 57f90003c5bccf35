FROM postgres:16
COPY init.sql /docker-entrypoint-initdb.d/
ENV POSTGRES_DB=app
