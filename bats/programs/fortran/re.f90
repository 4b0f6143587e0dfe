! Stops with a non-zero code after reading: a runtime error.
program re
  implicit none
  integer :: a, b
  read(*, *) a, b
  error stop 3
end program re
