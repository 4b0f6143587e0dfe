/* Eight processes each allocate and touch 32 MiB: together they exceed the
 * limit although none of them does alone. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define EACH (32 << 20)

int main(void)
{
	int i;

	for (i = 0; i < 8; i++) {
		if (fork() == 0) {
			volatile char *p = malloc(EACH);
			size_t k;

			if (p == NULL)
				_exit(3);
			for (k = 0; k < EACH; k += 4096)
				p[k] = 7;
			sleep(2);
			_exit(p[4096] == 7 ? 0 : 4);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
