/* Prints its uid, gid, supplementary group count, and PID 1's uid (from /proc/1/status). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char line[256];
	unsigned pid1 = 4242424242u;
	FILE *f = fopen("/proc/1/status", "r");

	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "Uid:", 4) == 0)
			sscanf(line + 4, "%u", &pid1);
	usleep(800000);	/* long enough for two submissions to overlap */
	printf("%u %u %d %u\n", (unsigned)getuid(), (unsigned)getgid(), getgroups(0, NULL), pid1);
	return 0;
}
