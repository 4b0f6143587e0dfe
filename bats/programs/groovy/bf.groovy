// Does not compile.
def x = = 1
println(x)
