# Reads "a b" (non-negative integers), prints a+b. sed has no arithmetic:
# while b is not zero, b is decremented and a incremented, in decimal, the
# digit to change marked <d> and the run of digits after it rewritten.
s/^ *\([0-9][0-9]*\)  *\([0-9][0-9]*\).*$/\1 \2/
:loop
/ 0*$/ b done
# b - 1: the last non-zero digit drops by one, the zeros after it become 9
s/\([1-9]\)\(0*\)$/<\1>\2/
:nines
s/>\(9*\)0/>\19/
t nines
s/<1>/0/;s/<2>/1/;s/<3>/2/;s/<4>/3/;s/<5>/4/;s/<6>/5/;s/<7>/6/;s/<8>/7/;s/<9>/8/
# a + 1: the last digit below 9 rises by one, the nines after it become 0
s/^\(9*\) /0\1 /
s/\([0-8]\)\(9*\) /<\1>\2 /
:zeros
s/>\(0*\)9/>\10/
t zeros
s/<0>/1/;s/<1>/2/;s/<2>/3/;s/<3>/4/;s/<4>/5/;s/<5>/6/;s/<6>/7/;s/<7>/8/;s/<8>/9/
b loop
:done
s/ .*//
s/^0*\([0-9]\)/\1/
