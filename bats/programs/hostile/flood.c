/* Writes to stdout forever. */
#include <stdio.h>
int main(void)
{
	for (;;)
		putchar('x');
}
