const ms = require("ms");

console.log(`node-yarn-berry-pnp: ${ms(120000)} through Plug'n'Play`);
