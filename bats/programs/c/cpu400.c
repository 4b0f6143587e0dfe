/* Burns 400 ms of CPU time (measured by clock()), then prints "done". */
#include <stdio.h>
#include <time.h>
int main(void)
{
	volatile unsigned long n = 0;
	while (clock() < CLOCKS_PER_SEC * 4 / 10)
		n++;
	puts("done");
	return 0;
}
