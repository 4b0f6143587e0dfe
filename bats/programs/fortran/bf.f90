! Does not compile.
program bf
  implicit none
  integer :: a
  a = = 1
end program bf
