FROM node:20
WORKDIR /app
COPY . .
CMD ["node", "dist/server.js"]
RUN echo built && 
    \
