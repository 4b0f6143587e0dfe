# Does not compile: a type error.
let x: int = "a string"
echo x
