! Allocates and fills 8 MiB blocks until it is stopped.
program main
  implicit none
  type chunk
    integer(1), allocatable :: d(:)
  end type chunk
  type(chunk) :: c(512)
  integer :: i
  do i = 1, 512
    allocate (c(i)%d(8 * 1024 * 1024))
    c(i)%d = 1
  end do
  print '(I0)', c(512)%d(1)
end program main
