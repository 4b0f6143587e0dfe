// Allocates and touches 8 MiB blocks, keeping every one, until stopped.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	static char *keep[512];
	int i;

	for (i = 0; i < 512; i++) {
		keep[i] = malloc(8 << 20);
		if (keep[i] == NULL)
			abort();
		memset(keep[i], 1, 8 << 20);
	}
	printf("%d\n", keep[511][0]);
	return 0;
}
