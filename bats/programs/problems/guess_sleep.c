/*
 * guess_sleep.c - reads N, then sleeps forever without asking anything:
 * the interactor waits for a line that never comes, so only the program's
 * wall time limit ends the test (TL), not a hang of the judge.
 */
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	long n;

	if (scanf("%ld", &n) != 1)
		return 0;
	for (;;)
		pause();
}
