const kleur = require("kleur");
const { greet } = require("./lib/greet");
kleur.enabled = false;
console.log(kleur.green(greet("node-yarn")));
