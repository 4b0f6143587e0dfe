/*
 * check_exit.c - a checker program that does whatever the test's INPUT
 * tells it, so that one submission can walk the judge through every way a
 * checker ends: "ok" exit 0, "wa" 1, "pe" 2, "fail" 3, "points X" (prints
 * "points X" on stderr, exit 7), "crash" (SIGSEGV), "loop" (spins
 * forever), "mem" (allocates and touches memory without end), "exit42",
 * "bigerr" (1 MiB on stderr, then exit 1). OUTPUT and ANSWER are never
 * read, but all three files are opened, and a missing one is exit 3: that
 * is how the tests know the judge hands over three readable files.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK	(1 << 20)

int
main(int argc, char **argv)
{
	char what[32], points[64];
	FILE *f[3];
	int i;

	if (argc < 4) {
		fprintf(stderr, "check_exit: usage: check_exit INPUT OUTPUT ANSWER\n");
		return 3;
	}
	for (i = 0; i < 3; i++) {
		if ((f[i] = fopen(argv[i + 1], "r")) == NULL) {
			perror(argv[i + 1]);
			return 3;
		}
	}
	if (fscanf(f[0], "%31s", what) != 1) {
		fprintf(stderr, "check_exit: the input names no action\n");
		return 3;
	}
	if (strcmp(what, "ok") == 0) {
		fprintf(stderr, "check_exit: ok\n");
		return 0;
	}
	if (strcmp(what, "wa") == 0) {
		fprintf(stderr, "check_exit: wrong answer\n");
		return 1;
	}
	if (strcmp(what, "pe") == 0) {
		fprintf(stderr, "check_exit: presentation error\n");
		return 2;
	}
	if (strcmp(what, "fail") == 0) {
		fprintf(stderr, "check_exit: failing on purpose\n");
		return 3;
	}
	if (strcmp(what, "points") == 0) {
		if (fscanf(f[0], "%63s", points) != 1) {
			fprintf(stderr, "check_exit: points without a value\n");
			return 3;
		}
		fprintf(stderr, "points %s\n", points);
		return 7;
	}
	if (strcmp(what, "crash") == 0) {
		fflush(stderr);
		raise(SIGSEGV);
		return 3;	/* not reached: SIGSEGV is not caught */
	}
	if (strcmp(what, "loop") == 0) {
		volatile unsigned long n = 0;

		for (;;)
			n++;
	}
	if (strcmp(what, "mem") == 0) {
		/*
		 * Touched, or the kernel would lend pages it never has to
		 * give; chained, so that no compiler can prove them dead.
		 */
		static void *volatile head;

		for (;;) {
			char *p = malloc(CHUNK);

			if (p == NULL)
				continue;
			memset(p, 1, CHUNK);
			*(void **)p = head;
			head = p;
		}
	}
	if (strcmp(what, "exit42") == 0)
		return 42;
	if (strcmp(what, "bigerr") == 0) {
		static char line[1024];

		memset(line, 'e', sizeof line - 1);
		line[sizeof line - 1] = '\n';
		for (i = 0; i < 1024; i++)
			fwrite(line, 1, sizeof line, stderr);
		return 1;
	}
	fprintf(stderr, "check_exit: unknown action \"%s\"\n", what);
	return 3;
}
