require("@mono/shared"); require("fastify");
