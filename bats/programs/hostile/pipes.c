/*
 * Input "hold": takes as many 1 MiB pipes as the kernel lets one uid have
 * (the per-uid budget fs.pipe-user-pages-soft, 64 MiB by default), fills
 * them, holds them for 5 s, prints how many it got. Input "probe": asks
 * for one 1 MiB pipe and prints "probe ok", or why not: a judge whose
 * programs share a uid lets the first starve the second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MiB (1 << 20)

int main(void)
{
	static char block[65536];
	char what[16];
	int p[2], n = 0;

	if (scanf("%15s", what) != 1)
		return 1;
	if (strcmp(what, "probe") == 0) {
		if (pipe(p) != 0)
			return 2;
		if (fcntl(p[1], F_SETPIPE_SZ, MiB) < MiB)
			printf("probe failed: %s\n", strerror(errno));
		else
			printf("probe ok\n");
		return 0;
	}
	for (; n < 100; n++) {
		if (pipe(p) != 0 || fcntl(p[1], F_SETPIPE_SZ, MiB) < MiB)
			break;
		fcntl(p[1], F_SETFL, O_NONBLOCK);
		for (int k = 0; k < 16; k++)
			if (write(p[1], block, sizeof block) != (ssize_t)sizeof block)
				return 3;
	}
	sleep(5);
	printf("held %d\n", n);
	return 0;
}
