# Spins forever.
var n {.volatile.} = 0
while true:
  n = (n + 1) mod 1000000
