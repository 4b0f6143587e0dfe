/*
 * Fills the disk: writes 1 MiB blocks to file after file in DIR (the
 * working directory, or /tmp) until a write fails with anything but EFBIG,
 * then reports which error stopped it and exits 1. SIGXFSZ is ignored so a
 * per-file size limit shows up as EFBIG and the next file is tried.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DIR "@DIR@"

static char block[1 << 20];

int main(void)
{
	char path[256];
	long total = 0;
	int i, fd, err = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGXFSZ, SIG_IGN);
	memset(block, 'z', sizeof block);
	for (i = 0; i < 100000; i++) {
		snprintf(path, sizeof path, "%s/fill%d", DIR, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0) {
			err = errno;
			printf("open %s: %s\n", path, strerror(err));
			break;
		}
		for (;;) {
			ssize_t n = write(fd, block, sizeof block);

			if (n < 0) {
				err = errno;
				printf("write %s after %ld MiB: %s\n", path, total >> 20,
				    strerror(err));
				break;
			}
			total += n;
		}
		close(fd);
		if (err != EFBIG)
			break;
	}
	return 1;
}
