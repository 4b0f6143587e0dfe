// Prints the sum plus one: a wrong answer.
def (a, b) = System.in.newReader().readLine().trim().split(/\s+/).collect { it as long }
println(a + b + 1)
