# Spins forever.
n = 0
loop
  n = (n + 1) % 1000000
