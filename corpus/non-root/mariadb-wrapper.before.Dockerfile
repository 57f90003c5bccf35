FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends mariadb-server && rm -rf /var/lib/apt/lists/*
COPY my.cnf /etc/mysql/conf.d/app.cnf
CMD ["mysqld_safe"]
