# Prints the first number alone: a wrong answer.
s/^ *\([0-9]*\).*/\1/
