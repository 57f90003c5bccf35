FROM
RUN -- apt-get install\