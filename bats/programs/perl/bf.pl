# Does not compile: perl -c refuses it.
my $x = ;
