# Does not compile: a type error.
x : Int32 = "a string"
puts x
