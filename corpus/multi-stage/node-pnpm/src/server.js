const fs = require("fs");
const path = require("path");
const escape = require("escape-html");
const page = fs.readFileSync(path.join(__dirname, "..", "views", "index.html"), "utf8");
console.log(page.replace("{{name}}", escape("node-pnpm <esbuild>")).trim());
