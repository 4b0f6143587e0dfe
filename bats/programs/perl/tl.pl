# Spins forever.
my $n = 0;
$n++ while 1;
