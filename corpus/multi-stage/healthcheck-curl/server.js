const http = require("http");
const ms = require("ms");
const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.end("healthy: healthcheck-curl\n");
    return;
  }
  res.end(JSON.stringify({ items: ["widgets", "gadgets"], cache: ms(60000) }) + "\n");
});
server.listen(3000, () => console.log("listening on 3000"));
