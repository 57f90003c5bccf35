require('http').createServer((q, s) => s.end('portal')).listen(3000);
