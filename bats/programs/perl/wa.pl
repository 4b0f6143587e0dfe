# Prints the sum plus one: a wrong answer.
my ($a, $b) = split ' ', <STDIN>;
print $a + $b + 1, "\n";
