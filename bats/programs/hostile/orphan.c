/*
 * The parent starts a child and exits 0 at once. The child re-executes
 * itself with a marker word as argv[1] (the test looks for it with pgrep on
 * the host), leaves the session, keeps (KEEP_STDIO=1) or closes its
 * stdout/stderr and spins for 60 s.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MARKER "@MARKER@"
#define KEEP_STDIO @KEEP@

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], MARKER) == 0) {
		time_t end = time(NULL) + 60;
		volatile unsigned long n = 0;
		setsid();
		if (!KEEP_STDIO) {
			close(0);
			close(1);
			close(2);
		}
		while (time(NULL) < end)
			n++;
		return 0;
	}
	if (fork() == 0) {
		execl("/proc/self/exe", argv[0], MARKER, (char *)NULL);
		_exit(127);
	}
	puts("parent done");
	return 0;
}
