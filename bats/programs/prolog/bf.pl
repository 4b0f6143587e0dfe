% Does not parse.
main :- X = = 1, write(X).
