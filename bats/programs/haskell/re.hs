-- Divides by zero: an uncaught exception.
main :: IO ()
main = do
  [a, b] <- map read . words <$> getContents
  print (a `div` (b - b) :: Integer)
