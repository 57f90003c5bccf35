exports.greet = (name) => `hello from ${name} (node ${process.version})`;
