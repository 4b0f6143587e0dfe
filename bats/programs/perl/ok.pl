# Reads two integers, prints their sum.
my ($a, $b) = split ' ', <STDIN>;
print $a + $b, "\n";
