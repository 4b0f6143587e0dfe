/*
 * Prints the room the kernel leaves the program: its cgroup's limit less
 * what is charged but reclaimable file cache (cgroup v2 files, else v1).
 * scrc-box's reserve should make it the allowance + 8 MiB.
 */
#include <stdio.h>
#include <string.h>
static long long num(const char *path)
{
	long long v = -1;
	FILE *f = fopen(path, "r");

	if (f != NULL && fscanf(f, "%lld", &v) != 1)
		v = -1;
	if (f != NULL)
		fclose(f);
	return v;
}
static long long stat_sum(const char *path, const char *a, const char *b)
{
	char k[64];
	long long v, sum = 0;
	FILE *f = fopen(path, "r");

	while (f != NULL && fscanf(f, "%63s %lld", k, &v) == 2)
		if (strcmp(k, a) == 0 || strcmp(k, b) == 0)
			sum += v;
	if (f != NULL)
		fclose(f);
	return sum;
}
int main(void)
{
	long long max = num("/sys/fs/cgroup/memory.max"), cur, file;

	if (max > 0) {
		cur = num("/sys/fs/cgroup/memory.current");
		file = stat_sum("/sys/fs/cgroup/memory.stat", "active_file", "inactive_file");
	} else {
		max = num("/sys/fs/cgroup/memory/memory.limit_in_bytes");
		cur = num("/sys/fs/cgroup/memory/memory.usage_in_bytes");
		file = stat_sum("/sys/fs/cgroup/memory/memory.stat", "total_active_file",
		    "total_inactive_file");
	}
	printf("max %lld MiB, charged %lld MiB, room %lld MiB\n", max >> 20,
	    (cur - file) >> 20, (max - cur + file) >> 20);
	return 0;
}
