// Divides by zero: an uncaught ArithmeticException.
def (a, b) = System.in.newReader().readLine().trim().split(/\s+/).collect { it as int }
println(a.intdiv(b - b))
