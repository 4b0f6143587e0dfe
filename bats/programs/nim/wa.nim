# Prints the sum plus one: a wrong answer.
import strutils
let w = stdin.readAll().splitWhitespace()
echo parseInt(w[0]) + parseInt(w[1]) + 1
