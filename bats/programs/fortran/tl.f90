! Spins forever (volatile, so the loop is not optimised away).
program tl
  implicit none
  integer, volatile :: n
  n = 0
  do
    n = n + 1
  end do
end program tl
