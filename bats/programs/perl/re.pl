# Dies at run time (exit 255).
my ($a, $b) = split ' ', <STDIN>;
die "no way: $a / 0\n" if 1;
print $a / 0, "\n";
