/*
 * Asks for 1 GiB, 16 MiB per system call, all of it made inside the kernel
 * (fallocate on memfds of 16 MiB, under the file size limit): the fastest a
 * program can pass its limit, so either scrc-box's sampler or the cgroup's
 * OOM killer stops it, whichever comes first.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
int main(void)
{
	int i, fd;

	for (i = 0; i < 64; i++) {
		fd = memfd_create("oom", 0);
		if (fd < 0 || fallocate(fd, 0, 0, 16 << 20) != 0)
			return 3;
	}
	printf("survived\n");
	return 0;
}
