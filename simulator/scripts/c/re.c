#include <stdio.h>

int main(void)
{
	long a, b;
	volatile long zero = 0;

	if (scanf("%ld %ld", &a, &b) != 2)
		return 1;
	/* Integer division by zero: SIGFPE. */
	printf("%ld\n", (a + b) / zero);
	return 0;
}
