declare function require(name: string): any;
declare const process: { version: string };
const ms = require("ms");
const greeting: string = `hello from node-npm-ts: 90 minutes is ${ms(90 * 60 * 1000, { long: true })}`;
console.log(`${greeting} (node ${process.version})`);
