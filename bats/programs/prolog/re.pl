% Divides by zero: an uncaught evaluation error.
main :-
    read_line_to_string(user_input, L),
    split_string(L, " ", " ", [A | _]),
    number_string(X, A),
    Y is X // 0,
    format("~d~n", [Y]).
