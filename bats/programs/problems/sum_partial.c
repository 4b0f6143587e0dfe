/*
 * sum_partial.c - reads "a b" and prints a + b, except that it prints
 * a + b + 1 when a is odd: a solution that passes some tests and fails
 * others, chosen by the test, so that group scores can be computed.
 */
#include <stdio.h>

int
main(void)
{
	long a, b;

	if (scanf("%ld %ld", &a, &b) != 2)
		return 1;
	printf("%ld\n", a % 2 != 0 ? a + b + 1 : a + b);
	return 0;
}
