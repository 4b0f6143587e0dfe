! Spins forever (volatile: the loop cannot be optimised away).
program main
  implicit none
  integer(8), volatile :: n
  n = 0
  do while (.true.)
    n = n + 1
  end do
end program main
