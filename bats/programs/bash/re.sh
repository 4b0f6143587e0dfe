# Divides by zero: bash reports the error and exits non-zero.
read -r a b
echo $((a / 0))
