% Reads two integers, prints their sum.
main :-
    read_line_to_string(user_input, L),
    split_string(L, " ", " ", [A, B | _]),
    number_string(X, A), number_string(Y, B),
    S is X + Y,
    format("~d~n", [S]).
