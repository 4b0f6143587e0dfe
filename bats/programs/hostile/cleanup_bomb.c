/*
 * Makes cleaning up after it as slow as it can: for most of its CPU time
 * it creates directories nested as deep as they go, then as many files as
 * the file systems take, in /tmp, /dev/shm and its own directory. Prints
 * how far it got on stderr and twice its input on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	static const char *tops[] = { "/tmp", "/dev/shm", NULL };
	double end = now() + 0.6;
	long dirs = 0, files = 0, x;
	int home = open(".", O_RDONLY | O_DIRECTORY), enospc = 0;
	char name[64];

	for (int t = 0; t < 3 && now() < end; t++) {
		if (tops[t] != NULL ? chdir(tops[t]) != 0 : fchdir(home) != 0)
			continue;
		/* Deep: each level one directory, until the inodes run out. */
		while (now() < end) {
			if (mkdir("d", 0700) != 0) {
				enospc |= errno == ENOSPC;
				break;
			}
			if (chdir("d") != 0)
				break;
			dirs++;
		}
		/* Wide: files, in the deepest directory but one. */
		if (chdir("..") != 0)
			continue;
		for (long i = 0; now() < end; i++) {
			snprintf(name, sizeof name, "f%ld", i);
			int fd = open(name, O_CREAT | O_WRONLY, 0600);
			if (fd < 0) {
				enospc |= errno == ENOSPC;
				break;
			}
			close(fd);
			files++;
		}
		chmod(".", 0);	/* and take the permissions away */
	}
	fprintf(stderr, "dirs %ld files %ld%s\n", dirs, files, enospc ? " ENOSPC" : "");
	if (scanf("%ld", &x) != 1)
		return 1;
	printf("%ld\n", 2 * x);
	return 0;
}
