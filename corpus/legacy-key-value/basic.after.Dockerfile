FROM node:20
ENV NODE_ENV=production
ENV PATH=/app/node_modules/.bin:$PATH
LABEL description="My app  with  blanks"
ENV QUOTED="a b"
ENV ALREADY=ok OTHER=fine
