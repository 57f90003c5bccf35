const http = require('http');
const ms = require('ms');

http.createServer((req, res) => {
  res.end(`node-web up, NODE_ENV=${process.env.NODE_ENV}, cache ttl ${ms(ms('2h'), { long: true })}\n`);
}).listen(8080, () => console.log('listening on 8080'));
