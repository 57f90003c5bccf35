FROM ubuntu:22.04
COPY ./bin/sqlservr /opt/mssql/bin/sqlservr
CMD ["/opt/mssql/bin/sqlservr"]
