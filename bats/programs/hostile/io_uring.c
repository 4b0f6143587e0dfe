/* Asks for an io_uring (and a user namespace); prints "denied" for each refused. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	char params[120];

	memset(params, 0, sizeof params);
	printf("io_uring %s\n", syscall(__NR_io_uring_setup, 4, params) < 0 ? "denied" : "ALLOWED");
	printf("userns %s\n", unshare(CLONE_NEWUSER) != 0 ? "denied" : "ALLOWED");
	return 0;
}
