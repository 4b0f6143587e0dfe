-- Spins forever (strictly, so it uses no memory).
{-# LANGUAGE BangPatterns #-}
spin :: Int -> Int
spin !n = spin ((n + 1) `mod` 1000000)

main :: IO ()
main = print (spin 0)
