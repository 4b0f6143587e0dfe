# Prints the sum plus one: a wrong answer.
read -r a b
echo $((a + b + 1))
