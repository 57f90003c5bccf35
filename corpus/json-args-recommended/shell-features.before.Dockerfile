FROM alpine AS a
CMD echo $HOME && sleep 1
FROM alpine AS b
CMD cd /app; ./run
FROM alpine AS c
ENTRYPOINT ["tini", "--"]
CMD node server.js
FROM alpine AS d
SHELL ["/bin/bash", "-c"]
CMD node server.js
