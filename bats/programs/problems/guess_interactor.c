/*
 * guess_interactor.c - the interactor of a guessing game, in plain C (no
 * testlib). Run as "guess_interactor INPUT OUTPUT" with its stdout
 * connected to the program's stdin and the program's stdout to its stdin.
 * INPUT holds "N SECRET QLIMIT". It sends N, then answers each line
 * "? x" with "<" (the secret is smaller than x), ">" (larger) or "=",
 * until the program says "! x".
 *
 * Exit 0 when x is the secret within QLIMIT queries (OUTPUT gets
 * "queries K"); 1 for a wrong guess, a query over the limit (it stops
 * reading at once) or the program's end before an answer; 2 for a line it
 * cannot parse; 3 for its own trouble (bad INPUT, OUTPUT not writable).
 * It reads only when a line is due, so it never waits on its own account.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_SIZE	256	/* longer lines are malformed, not a buffer problem */

static int	parse_line(const char *, char *, long *);

int
main(int argc, char **argv)
{
	char line[LINE_SIZE], op;
	long n, secret, qlimit, x, k = 0;
	FILE *in, *out;

	/*
	 * A program that quits early closes our stdout: the write fails and
	 * the next read sees the end, which is its fault (exit 1), whereas
	 * SIGPIPE would kill us and make the judge blame the problem.
	 */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 3) {
		fprintf(stderr, "usage: guess_interactor INPUT OUTPUT\n");
		return 3;
	}
	if ((in = fopen(argv[1], "r")) == NULL) {
		perror(argv[1]);
		return 3;
	}
	if (fscanf(in, "%ld %ld %ld", &n, &secret, &qlimit) != 3 || n < 1 ||
	    secret < 1 || secret > n || qlimit < 0) {
		fprintf(stderr, "guess_interactor: INPUT is not \"N SECRET QLIMIT\"\n");
		return 3;
	}
	fclose(in);
	if ((out = fopen(argv[2], "w")) == NULL) {
		perror(argv[2]);
		return 3;
	}
	printf("%ld\n", n);
	fflush(stdout);
	for (;;) {
		if (fgets(line, sizeof line, stdin) == NULL) {
			fprintf(stderr, "the program ended after %ld queries without an answer\n",
			    k);
			return 1;
		}
		if (strchr(line, '\n') == NULL && !feof(stdin)) {
			fprintf(stderr, "line longer than %d bytes\n", LINE_SIZE - 2);
			return 2;
		}
		if (parse_line(line, &op, &x) != 0) {
			line[strcspn(line, "\r\n")] = '\0';
			fprintf(stderr, "cannot parse line %ld: \"%.40s\"\n", k + 1, line);
			return 2;
		}
		if (op == '!')
			break;
		if (++k > qlimit) {
			fprintf(stderr, "query limit %ld exceeded\n", qlimit);
			return 1;
		}
		if (x < 1 || x > n) {
			fprintf(stderr, "query %ld: %ld is not in [1, %ld]\n", k, x, n);
			return 1;
		}
		printf("%s\n", secret < x ? "<" : secret > x ? ">" : "=");
		fflush(stdout);
	}
	if (x != secret) {
		fprintf(stderr, "wrong guess %ld after %ld queries\n", x, k);
		return 1;
	}
	fprintf(out, "queries %ld\n", k);
	if (fclose(out) != 0) {
		fprintf(stderr, "writing %s: %s\n", argv[2], strerror(errno));
		return 3;
	}
	fprintf(stderr, "ok: guessed %ld with %ld queries\n", secret, k);
	return 0;
}

/* "? x" or "! x", blanks around: 0 and *op, *x set; -1 if malformed. */
static int
parse_line(const char *s, char *op, long *x)
{
	char *end;

	if (*s != '?' && *s != '!')
		return -1;
	*op = *s++;
	if (*s != ' ' && *s != '\t')
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	if ((*s < '0' || *s > '9') && *s != '-')
		return -1;
	errno = 0;
	*x = strtol(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	end += strspn(end, " \t\r\n");
	return *end == '\0' ? 0 : -1;
}
