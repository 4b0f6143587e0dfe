# Prints the sum plus one: a wrong answer.
{ print $1 + $2 + 1 }
