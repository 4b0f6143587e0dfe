! Divides by zero: SIGFPE.
program main
  implicit none
  integer(8) :: a, b
  read (*, *) a, b
  print '(I0)', a / (b - b)
end program main
