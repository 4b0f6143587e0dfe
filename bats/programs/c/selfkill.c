/* Kills itself with SIGKILL: a signal the judge did not send. */
#include <signal.h>
#include <unistd.h>
int main(void)
{
	kill(getpid(), SIGKILL);
	pause();
	return 0;
}
