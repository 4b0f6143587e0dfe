/*
 * multi_main.c - a C submission in several files: the profile compiles
 * main.c alone, so the extra files are headers it includes, one beside it
 * (sum.h) and one in a sub-directory (util/parse.h). Prints a + b.
 */
#include <stdio.h>

#include "sum.h"
#include "util/parse.h"

int
main(void)
{
	long a, b;

	if (parse_two(&a, &b) != 0)
		return 1;
	printf("%ld\n", sum(a, b));
	return 0;
}
