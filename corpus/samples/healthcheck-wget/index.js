const http = require('http');
const ms = require('ms');

const port = process.env.PORT || 3000;
const started = Date.now();

const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  res.setHeader('Content-Type', 'text/plain');
  res.end(`all systems operational (up ${ms(Date.now() - started + 1000)})\n`);
});

server.listen(port, () => console.log(`status page on ${port}`));
