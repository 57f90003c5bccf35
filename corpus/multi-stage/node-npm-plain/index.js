console.log(require("./routes/home"))
