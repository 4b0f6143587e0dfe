%% Does not compile.
-module(main).
-export([main/0]).

main() -> X = = 1.
