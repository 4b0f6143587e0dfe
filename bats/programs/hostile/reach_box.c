/*
 * Tries to act on scrc-box, PID 1 of the container, in every way a
 * process of the same uid could: lower its limits (RLIMIT_CPU 0 makes the
 * kernel kill it), starve it, trace it, stop or kill it. Prints what was
 * allowed, how many of the attempts were refused, then twice its input.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <unistd.h>

static int tried, denied;

static void try(const char *what, int failed)
{
	tried++;
	if (failed)
		denied++;
	else
		printf("%s: ALLOWED\n", what);
}

int main(void)
{
	struct rlimit zero = { 0, 0 };
	struct sched_param sp = { 0 };
	long x;

	try("prlimit cpu", prlimit(1, RLIMIT_CPU, &zero, NULL) != 0);
	try("prlimit nofile", prlimit(1, RLIMIT_NOFILE, &zero, NULL) != 0);
	try("prlimit nproc", prlimit(1, RLIMIT_NPROC, &zero, NULL) != 0);
	try("prlimit as", prlimit(1, RLIMIT_AS, &zero, NULL) != 0);
	try("setpriority", setpriority(PRIO_PROCESS, 1, 19) != 0);
	try("sched_setscheduler", sched_setscheduler(1, SCHED_IDLE, &sp) != 0);
	try("ptrace attach", ptrace(PTRACE_ATTACH, 1, NULL, NULL) == -1);
	try("kill SIGSTOP", kill(1, SIGSTOP) != 0);
	try("kill SIGKILL", kill(1, SIGKILL) != 0);
	if (scanf("%ld", &x) != 1)
		return 1;
	printf("denied %d of %d\n%ld\n", denied, tried, 2 * x);
	return 0;
}
