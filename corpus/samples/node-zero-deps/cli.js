#!/usr/bin/env node
const fs = require('fs');
const path = require('path');

const text = fs.readFileSync(path.join(__dirname, 'CHANGELOG.md'), 'utf8');
const releases = text.split('\n').filter(l => l.startsWith('## '));
if (process.argv.includes('--summary')) {
  console.log(`changelog: ${releases.length} releases, latest ${releases[0].slice(3)}`);
}
