-- Reads two integers, prints their sum.
local a, b = io.read("n", "n")
print(a + b)
