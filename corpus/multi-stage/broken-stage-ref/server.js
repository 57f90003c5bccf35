require("http").createServer((q, r) => r.end("portal")).listen(8080);
