/*
 * guess_snoop.c - a player that first looks for the interactor, which
 * runs in a container of its own and must stay out of the program's
 * reach. It reports on stderr any other process whose command line
 * mentions "interactor" or an argument named input (how an interactor is
 * started: "interactor INPUT OUTPUT"), and any file named input (or
 * input.txt) at depth <= 3 under /, outside its own directory, and says
 * "no interactor seen" when there is none. Then it plays binary search,
 * so the verdict is OK either way and the stderr tells the story.
 */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int	look_at_processes(void);
static int	look_for_inputs(const char *, int, const char *);
static int	is_input_name(const char *);
static void	play(void);

int
main(void)
{
	char cwd[PATH_MAX];
	int seen;

	if (getcwd(cwd, sizeof cwd) == NULL)
		strcpy(cwd, "?");
	seen = look_at_processes();
	seen += look_for_inputs("", 1, cwd);
	if (seen == 0)
		fprintf(stderr, "no interactor seen\n");
	else
		fprintf(stderr, "interactor seen: %d traces\n", seen);
	play();
	return 0;
}

/* Counts (and names) the processes of /proc that look like an interactor. */
static int
look_at_processes(void)
{
	struct dirent *e;
	char path[300], cmd[4096];
	DIR *d;
	int seen = 0;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		size_t n, i, arg;
		FILE *f;
		int hit;

		if (!isdigit((unsigned char)e->d_name[0]) || atol(e->d_name) == (long)getpid())
			continue;
		snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		n = fread(cmd, 1, sizeof cmd - 1, f);
		fclose(f);
		cmd[n] = '\0';
		/* The arguments are NUL-separated: look at each, then join them. */
		hit = 0;
		for (arg = 0; arg < n; arg += strlen(cmd + arg) + 1) {
			const char *base = strrchr(cmd + arg, '/');

			if (is_input_name(base ? base + 1 : cmd + arg))
				hit = 1;
		}
		for (i = 0; i < n; i++)
			if (cmd[i] == '\0')
				cmd[i] = ' ';
		if (strstr(cmd, "interactor") != NULL)
			hit = 1;
		if (hit) {
			fprintf(stderr, "process %s: %.200s\n", e->d_name, cmd);
			seen++;
		}
	}
	closedir(d);
	return seen;
}

/* Counts (and names) the files named input under dir, down to depth 3. */
static int
look_for_inputs(const char *dir, int depth, const char *own)
{
	struct dirent *e;
	char path[PATH_MAX];
	struct stat st;
	DIR *d;
	int seen = 0;

	if ((d = opendir(*dir ? dir : "/")) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		/* Kernel views, not files anyone wrote: huge, and no input there. */
		if (strcmp(path, "/proc") == 0 || strcmp(path, "/sys") == 0 ||
		    strcmp(path, "/dev") == 0)
			continue;
		if (lstat(path, &st) != 0)
			continue;
		if (is_input_name(e->d_name) && strcmp(dir, own) != 0) {
			fprintf(stderr, "file %s\n", path);
			seen++;
		}
		/* lstat: a symbolic link is not followed, so no loop. */
		if (S_ISDIR(st.st_mode) && depth < 3)
			seen += look_for_inputs(path, depth + 1, own);
	}
	closedir(d);
	return seen;
}

static int
is_input_name(const char *name)
{
	return strcasecmp(name, "input") == 0 || strcasecmp(name, "input.txt") == 0;
}

/* guess_binary.c's game. */
static void
play(void)
{
	long n, lo = 1, hi, mid = 1;
	char reply[4];

	if (scanf("%ld", &n) != 1)
		return;
	hi = n;
	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		printf("? %ld\n", mid);
		fflush(stdout);
		if (scanf("%3s", reply) != 1)
			return;
		if (reply[0] == '=')
			break;
		if (reply[0] == '<')
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	printf("! %ld\n", mid);
	fflush(stdout);
}
