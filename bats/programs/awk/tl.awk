# Spins forever.
BEGIN { while (1) n++ }
