const fs = require('fs');
fs.mkdirSync('dist', { recursive: true });
for (const f of fs.readdirSync('public')) fs.copyFileSync(`public/${f}`, `dist/${f}`);
fs.writeFileSync('dist/version.txt', `docs ${require('../package.json').version}\n`);
console.log('docs built');
