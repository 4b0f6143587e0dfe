/*
 * check_testlib.cpp - a checker written the way problem setters write
 * them against testlib, to prove that such a source (with testlib.h
 * carried in the checker spec's files) builds and is obeyed: the answer
 * is one integer; the output must hold the same one. An input that starts
 * with the word "partial" earns half the test whatever the output, which
 * exercises quitp.
 */
#include "testlib.h"

int
main(int argc, char *argv[])
{
	registerTestlibCmd(argc, argv);

	if (inf.readToken() == "partial")
		quitp(0.5, "half");
	int want = ans.readInt();
	int got = ouf.readInt();
	if (got != want)
		quitf(_wa, "expected %d, found %d", want, got);
	quitf(_ok, "answer %d", want);
}
