const kleur = require("kleur");

console.log(kleur.green("ok"));
