# Prints the sum plus one: a wrong answer.
[a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(Number)
console.log a + b + 1
