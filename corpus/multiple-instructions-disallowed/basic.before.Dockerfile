FROM node:20
# development server
CMD ["npm", "run", "dev"]
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
ENTRYPOINT ["docker-entrypoint.sh"]
# production server
CMD ["node", "server.js"]
HEALTHCHECK NONE

FROM node:20 AS other
CMD ["node", "a.js"]
