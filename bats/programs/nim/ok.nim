# Reads two integers, prints their sum.
import strutils
let w = stdin.readAll().splitWhitespace()
echo parseInt(w[0]) + parseInt(w[1])
