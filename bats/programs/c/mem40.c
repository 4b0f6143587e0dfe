/* Allocates and touches 40 MiB, then exits 0. */
#include <stdio.h>
#include <stdlib.h>

#define SIZE (40 << 20)

int main(void)
{
	volatile char *p = malloc(SIZE);
	size_t i;

	if (p == NULL)
		return 3;
	for (i = 0; i < SIZE; i += 4096)
		p[i] = 1;
	printf("%d\n", p[SIZE - 4096]);
	return 0;
}
