%% Spins forever.
-module(main).
-export([main/0]).

main() -> spin(0).

spin(N) -> spin((N + 1) rem 1000000).
