# Does not compile.
x = = 1
console.log x
