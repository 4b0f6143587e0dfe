! Prints the sum plus one: a wrong answer.
program wa
  implicit none
  integer :: a, b
  read(*, *) a, b
  print '(i0)', a + b + 1
end program wa
