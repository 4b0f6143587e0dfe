# Spins forever.
n = 0_u64
loop do
  n = (n &+ 1) % 1_000_000
  print "" if n == 1_000_001
end
