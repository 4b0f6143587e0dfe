/*
 * guess_binary.c - the right way to play the guessing game: binary search
 * over [1, N], one "? x" per step, flushed, then "! x". At the end of the
 * interactor's output it exits 0: the interactor has given its verdict,
 * and a non-zero exit would overrule it (a program's RE wins).
 */
#include <stdio.h>

int
main(void)
{
	long n, lo = 1, hi, mid = 1;
	char reply[4];

	if (scanf("%ld", &n) != 1)
		return 0;
	hi = n;
	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		printf("? %ld\n", mid);
		fflush(stdout);
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
	fflush(stdout);
	return 0;
}
