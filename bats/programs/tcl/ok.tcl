# Reads two integers, prints their sum.
lassign [read stdin] a b
puts [expr {$a + $b}]
