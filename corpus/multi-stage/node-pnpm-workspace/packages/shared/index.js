module.exports = (what) => `hello from ${what}`;
