# Doubles a string until memory runs out.
my $s = "x";
$s .= $s while 1;
