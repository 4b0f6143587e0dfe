%% Prints the sum plus one: a wrong answer.
-module(main).
-export([main/0]).

main() ->
    {ok, [A, B]} = io:fread("", "~d ~d"),
    io:format("~b~n", [A + B + 1]).
