/*
 * check_tokens.c - a checker program in plain C, no testlib: run as
 * "check_tokens INPUT OUTPUT ANSWER", it accepts the output (exit 0) when
 * its whitespace-separated tokens are those of the answer, else exits 1
 * with a one-line reason on stderr. A file it cannot open is its own
 * failure (exit 3), never the program's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN	40	/* characters of a token quoted in the reason */

static int	next_token(FILE *, char **, size_t *);
static FILE	*open_or_fail(const char *);

int
main(int argc, char **argv)
{
	FILE *out, *ans;
	char *a = NULL, *b = NULL;
	size_t asz = 0, bsz = 0;
	long n;

	if (argc < 4) {
		fprintf(stderr, "usage: check_tokens INPUT OUTPUT ANSWER\n");
		return 3;
	}
	fclose(open_or_fail(argv[1]));
	out = open_or_fail(argv[2]);
	ans = open_or_fail(argv[3]);
	for (n = 1;; n++) {
		int have_a = next_token(ans, &a, &asz);
		int have_b = next_token(out, &b, &bsz);

		if (!have_a && !have_b)
			break;
		if (!have_b) {
			fprintf(stderr, "output ends at token %ld, expected \"%.*s\"\n",
			    n, SHOWN, a);
			return 1;
		}
		if (!have_a) {
			fprintf(stderr, "extra token %ld in the output: \"%.*s\"\n",
			    n, SHOWN, b);
			return 1;
		}
		if (strcmp(a, b) != 0) {
			fprintf(stderr, "token %ld differs: expected \"%.*s\", found \"%.*s\"\n",
			    n, SHOWN, a, SHOWN, b);
			return 1;
		}
	}
	fprintf(stderr, "%ld tokens match\n", n - 1);
	return 0;
}

/* Reads the next token into *buf (grown as needed); 0 at the end of the file. */
static int
next_token(FILE *f, char **buf, size_t *size)
{
	size_t len = 0;
	int c;

	while ((c = getc(f)) != EOF && isspace(c))
		;
	if (c == EOF)
		return 0;
	do {
		if (len + 2 > *size) {
			*size = *size ? *size * 2 : 64;
			if ((*buf = realloc(*buf, *size)) == NULL) {
				fprintf(stderr, "check_tokens: out of memory\n");
				exit(3);
			}
		}
		(*buf)[len++] = (char)c;
	} while ((c = getc(f)) != EOF && !isspace(c));
	(*buf)[len] = '\0';
	return 1;
}

static FILE *
open_or_fail(const char *path)
{
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		perror(path);
		exit(3);
	}
	return f;
}
