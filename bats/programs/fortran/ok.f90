! Reads two integers, prints their sum.
program main
  implicit none
  integer(8) :: a, b
  read (*, *) a, b
  print '(I0)', a + b
end program main
