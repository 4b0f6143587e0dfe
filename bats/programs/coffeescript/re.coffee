# Throws an error nobody catches.
[a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number)
throw new Error("no way: #{a} / 0")
