! Allocates and touches 8 MiB blocks, keeping every one, until stopped.
program ml
  implicit none
  type block
    character(len=1), allocatable :: b(:)
  end type block
  type(block) :: keep(512)
  integer :: i
  do i = 1, 512
    allocate(keep(i)%b(8 * 1024 * 1024))
    keep(i)%b = 'x'
  end do
  print '(i0)', size(keep)
end program ml
