% Spins forever.
spin(N) :- M is N + 1, spin(M).
main :- spin(0).
