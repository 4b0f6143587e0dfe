! Prints the sum plus one: a wrong answer.
program main
  implicit none
  integer(8) :: a, b
  read (*, *) a, b
  print '(I0)', a + b + 1
end program main
