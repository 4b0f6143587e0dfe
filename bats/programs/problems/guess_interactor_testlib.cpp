/*
 * guess_interactor_testlib.cpp - the guessing game of guess_interactor.c
 * written as problem setters write interactors with testlib: the input is
 * "N SECRET QLIMIT" (inf), the program's lines are read through ouf, the
 * answers go to stdout (flushed, or the program would wait for them), and
 * tout (the OUTPUT file) gets "queries K" for a checker to look at.
 */
#include "testlib.h"

int
main(int argc, char *argv[])
{
	registerInteraction(argc, argv);

	int n = inf.readInt(1, 1000000000, "N");
	int secret = inf.readInt(1, n, "SECRET");
	int qlimit = inf.readInt(0, 1000000000, "QLIMIT");
	int queries = 0;

	printf("%d\n", n);
	fflush(stdout);
	for (;;) {
		/* The end of the program's output is a wrong answer, as in the C version. */
		if (ouf.seekEof())
			quitf(_wa, "the program ended after %d queries without an answer",
			    queries);
		std::string op = ouf.readToken();
		if (op != "?" && op != "!")
			quitf(_pe, "expected \"?\" or \"!\", found \"%s\"", op.substr(0, 40).c_str());
		int x = ouf.readInt(1, n, "x");
		if (op == "!") {
			if (x != secret)
				quitf(_wa, "wrong guess %d after %d queries", x, queries);
			tout << "queries " << queries << std::endl;
			quitf(_ok, "guessed %d with %d queries", secret, queries);
		}
		if (++queries > qlimit)
			quitf(_wa, "query limit %d exceeded", qlimit);
		printf("%s\n", secret < x ? "<" : secret > x ? ">" : "=");
		fflush(stdout);
	}
}
