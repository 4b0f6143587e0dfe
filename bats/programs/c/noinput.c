/* Reads nothing, writes one line to each stream and exits 3. */
#include <stdio.h>
int main(void)
{
	fputs("to stdout\n", stdout);
	fputs("to stderr\n", stderr);
	return 3;
}
