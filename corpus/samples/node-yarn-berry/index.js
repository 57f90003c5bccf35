const ms = require("ms");

let dev = "absent";
try {
  require.resolve("kleur");
  dev = "present";
} catch (e) {}
console.log(`node-yarn-berry: ${ms(60000)} (devDependencies ${dev})`);
