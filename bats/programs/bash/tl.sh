# Spins forever.
while :; do :; done
