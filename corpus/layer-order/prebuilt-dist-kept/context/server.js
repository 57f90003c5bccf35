require("./dist/index.js")
