-- Prints the sum plus one: a wrong answer.
main :: IO ()
main = do
  [a, b] <- map read . words <$> getContents
  print (a + b + 1 :: Integer)
