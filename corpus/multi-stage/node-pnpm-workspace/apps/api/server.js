const shared = require("@mono/shared");
const ms = require("ms");

console.log(shared(`node-pnpm-workspace, ${ms(180000)}`));
