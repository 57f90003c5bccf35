// Minimal static site generator: renders src/*.md with marked, wraps them in the layout, writes dist/.
const fs = require('fs');
const path = require('path');
const { marked } = require('marked');

const layout = fs.readFileSync(path.join(__dirname, 'src', 'layout.html'), 'utf8');
fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
for (const page of fs.readdirSync(path.join(__dirname, 'src'))) {
  if (!page.endsWith('.md')) continue;
  const md = fs.readFileSync(path.join(__dirname, 'src', page), 'utf8');
  const html = layout.replace('{{body}}', marked.parse(md));
  fs.writeFileSync(path.join(__dirname, 'dist', page.replace(/\.md$/, '.html')), html);
}
console.log('site built');
