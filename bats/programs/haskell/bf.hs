-- Does not compile: a type error.
main :: IO ()
main = putStrLn (1 + True)
