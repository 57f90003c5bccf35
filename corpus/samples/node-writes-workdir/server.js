// A visit counter that keeps its state in ./db.json, next to the code, created on the first
// request: the process must be able to create files in its working directory.
const fs = require('fs');
const http = require('http');
const leftPad = require('left-pad');

http.createServer((req, res) => {
  let db = { visits: 0 };
  try {
    db = JSON.parse(fs.readFileSync('./db.json', 'utf8'));
  } catch (e) {
    // first visit: no db.json yet
  }
  db.visits += 1;
  try {
    fs.writeFileSync('./db.json', JSON.stringify(db));
  } catch (e) {
    res.statusCode = 500;
    res.end(`cannot save db.json: ${e.code}\n`);
    return;
  }
  res.end(`visit ${leftPad(db.visits, 4, '0')} saved to db.json\n`);
}).listen(3000);
