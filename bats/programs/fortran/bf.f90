! Does not compile.
program main
  implicit none
  x = 
end program main
