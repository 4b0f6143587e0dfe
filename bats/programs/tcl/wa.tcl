# Prints the sum plus one: a wrong answer.
lassign [read stdin] a b
puts [expr {$a + $b + 1}]
