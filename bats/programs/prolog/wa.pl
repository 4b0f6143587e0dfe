% Prints the sum plus one: a wrong answer.
main :-
    read_line_to_string(user_input, L),
    split_string(L, " ", " ", [A, B | _]),
    number_string(X, A), number_string(Y, B),
    S is X + Y + 1,
    format("~d~n", [S]).
