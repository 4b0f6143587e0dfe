#include <stdio.h>

int main(void)
{
	long a, b;
	volatile unsigned long spin = 0;

	if (scanf("%ld %ld", &a, &b) != 2)
		return 1;
	/* Every access to a volatile is a side effect: this cannot be folded away. */
	for (;;)
		spin = spin + 1;
	printf("%lu\n", spin);
	return 0;
}
