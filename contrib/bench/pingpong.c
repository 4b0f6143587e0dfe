/*
 * pingpong.c - the program of interact-bench.py: reads N, then answers each
 * "q I" with "a I" at once (flushed), until "end".
 */
#include <stdio.h>
#include <string.h>

int
main(void)
{
	char line[64];
	long n, i;

	if (scanf("%ld\n", &n) != 1)
		return 1;
	while (fgets(line, sizeof line, stdin) != NULL && strcmp(line, "end\n") != 0) {
		if (sscanf(line, "q %ld", &i) != 1)
			return 1;
		printf("a %ld\n", i);
		fflush(stdout);
	}
	return 0;
}
