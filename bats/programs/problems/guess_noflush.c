/*
 * guess_noflush.c - binary search that forgets to flush: stdout is made
 * fully buffered, so the first "? x" stays in our buffer while we wait
 * for its answer, and the interactor waits for the query. Deadlock: the
 * judge must end it by the wall time limit (TL), and quickly.
 */
#include <stdio.h>

int
main(void)
{
	static char buf[1 << 16];
	long n, lo = 1, hi, mid = 1;
	char reply[4];

	/* A pipe is fully buffered anyway; this makes it so on a tty too. */
	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	if (scanf("%ld", &n) != 1)
		return 0;
	hi = n;
	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		printf("? %ld\n", mid);
		if (scanf("%3s", reply) != 1)
			return 0;
		if (reply[0] == '=')
			break;
		if (reply[0] == '<')
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	printf("! %ld\n", mid);
	return 0;
}
