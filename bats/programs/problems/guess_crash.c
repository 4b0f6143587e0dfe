/*
 * guess_crash.c - reads N, asks one query (flushed), then dies of SIGSEGV
 * without reading the answer: a crash of the program's own, RE.
 */
#include <signal.h>
#include <stdio.h>

int
main(void)
{
	long n;

	if (scanf("%ld", &n) != 1)
		return 0;
	printf("? 1\n");
	fflush(stdout);
	raise(SIGSEGV);
	return 0;
}
