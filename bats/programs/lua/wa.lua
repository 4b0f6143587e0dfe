-- Prints the sum plus one: a wrong answer.
local a, b = io.read("n", "n")
print(a + b + 1)
