%% Divides by zero: an uncaught badarith error.
-module(main).
-export([main/0]).

main() ->
    {ok, [A, B]} = io:fread("", "~d ~d"),
    io:format("~b~n", [A div (B - B)]).
