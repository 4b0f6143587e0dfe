\ Spins forever.
: spin begin again ;
spin
