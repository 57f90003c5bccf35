// "bundler": concatenates src/ into dist/server.js with a build stamp
const fs = require('fs');
fs.mkdirSync('dist', { recursive: true });
const src = fs.readdirSync('src').sort().map(f => fs.readFileSync(`src/${f}`, 'utf8')).join('\n');
fs.writeFileSync('dist/server.js', `// built ${new Date().toISOString()}\n${src}`);
