%% Keeps distinct 1 MiB binaries alive until memory runs out.
-module(main).
-export([main/0]).

main() -> grow([], 0).

grow(Keep, N) ->
    B = binary:copy(<<N:32>>, 262144),
    grow([B | Keep], N + 1).
