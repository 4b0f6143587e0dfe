/*
 * pingpong-interactor.c - the interactor of interact-bench.py: INPUT holds
 * N; it sends N, then N questions "q I", each answered "a I" by the
 * program before the next is sent (one round trip each), then "end".
 * Exit 0 when every answer was right, 1 otherwise (testlib's convention).
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	char line[64], want[64];
	FILE *in;
	long n, i;

	if (argc < 2 || (in = fopen(argv[1], "r")) == NULL || fscanf(in, "%ld", &n) != 1)
		return 3;
	printf("%ld\n", n);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		printf("q %ld\n", i);
		fflush(stdout);
		snprintf(want, sizeof want, "a %ld\n", i);
		if (fgets(line, sizeof line, stdin) == NULL || strcmp(line, want) != 0) {
			fprintf(stderr, "round %ld: wrong or missing answer\n", i);
			return 1;
		}
	}
	printf("end\n");
	fflush(stdout);
	fprintf(stderr, "%ld round trips\n", n);
	return 0;
}
