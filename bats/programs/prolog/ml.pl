% Builds an ever longer list of distinct numbers, all kept alive.
grow(L, N) :- M is N + 1, grow([N | L], M).
main :- grow([], 0).
