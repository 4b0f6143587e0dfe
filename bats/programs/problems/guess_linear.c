/*
 * guess_linear.c - a correct but slow player: asks 1, 2, 3, ... in turn,
 * so a small query limit ends it (WA from the interactor). At the end of
 * the interactor's output it exits 0, so as not to overrule that verdict.
 */
#include <stdio.h>

int
main(void)
{
	long n, x;
	char reply[4];

	if (scanf("%ld", &n) != 1)
		return 0;
	for (x = 1; x <= n; x++) {
		printf("? %ld\n", x);
		fflush(stdout);
		if (scanf("%3s", reply) != 1)
			return 0;
		if (reply[0] == '=')
			break;
	}
	printf("! %ld\n", x);
	fflush(stdout);
	return 0;
}
