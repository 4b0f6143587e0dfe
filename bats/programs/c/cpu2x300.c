/* Two processes each burn 300 ms of CPU time (their own clock()): the
 * submission used about 600 ms in total. */
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void burn(void)
{
	volatile unsigned long n = 0;

	while (clock() < CLOCKS_PER_SEC * 3 / 10)
		n++;
}

int main(void)
{
	pid_t pid = fork();

	burn();
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	puts("done");
	return 0;
}
