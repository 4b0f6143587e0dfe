#include <stdio.h>

int main(void)
{
	long a, b;

	if (scanf("%ld %ld", &a, &b) != 2)
		return 1;
	/* Off by one on purpose: the judge must answer WA. */
	printf("%ld\n", a + b + 1);
	return 0;
}
