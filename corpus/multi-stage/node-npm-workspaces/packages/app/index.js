const greet = require("@demo/greet");
const ms = require("ms");

console.log(greet(`node-workspaces, ${ms(90000)}`));
