module.exports = "home"
