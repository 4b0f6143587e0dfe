# Prints the sum of the two numbers of each line.
{ print $1 + $2 }
