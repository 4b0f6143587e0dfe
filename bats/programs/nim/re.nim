# Divides by zero: an unhandled DivByZeroDefect.
import strutils
let w = stdin.readAll().splitWhitespace()
let a = parseInt(w[0])
let b = parseInt(w[1])
echo a div (b - b)
