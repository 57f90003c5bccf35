FROM node:20 AS base
WORKDIR /opt/tools
CMD ["node"]

FROM base AS final
RUN npm install -g pnpm
COPY . /opt/tools
