-- Keeps an ever longer list of distinct numbers alive, to count it at the end.
import Data.List (foldl')

main :: IO ()
main = do
  let xs = [1 .. 100000000] :: [Integer]
  print (length xs + fromIntegral (foldl' (+) 0 xs `mod` 7))
