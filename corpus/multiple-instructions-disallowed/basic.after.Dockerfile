FROM node:20
# development server
ENTRYPOINT ["docker-entrypoint.sh"]
# production server
CMD ["node", "server.js"]
HEALTHCHECK NONE

FROM node:20 AS other
CMD ["node", "a.js"]
