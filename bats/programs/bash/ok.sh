# Reads two integers, prints their sum.
read -r a b
echo $((a + b))
