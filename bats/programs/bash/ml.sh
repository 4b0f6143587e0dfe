# Doubles a string until memory runs out.
s=x
while :; do s=$s$s; done
