#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1UL << 20)
#define NCHUNKS 512

static char *chunks[NCHUNKS];

int main(void)
{
	long a, b;
	unsigned long sum = 0;
	int i;

	if (scanf("%ld %ld", &a, &b) != 2)
		return 1;
	/* 512 MiB, every page written, every block kept. */
	for (i = 0; i < NCHUNKS; i++) {
		chunks[i] = malloc(CHUNK);
		if (chunks[i] == NULL)
			return 3;
		memset(chunks[i], i + 1, CHUNK);
	}
	for (i = 0; i < NCHUNKS; i++)
		sum += (unsigned char)chunks[i][i * 4096 % CHUNK];
	printf("%ld\n", a + b + (long)(sum % 2));
	return 0;
}
