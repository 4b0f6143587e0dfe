/*
 * cligate.c - bounds how many docker CLI calls one worker's tree makes at
 * once. See cligate.h.
 *
 * A slot file holds "PID STARTTIME" of the CLI process that has it. A
 * caller locks the file (flock, held only while it looks and starts its
 * CLI), finds the slot free when that process is gone (no such pid, a
 * zombie, or another process by now under the same pid, told apart by its
 * start time), starts its CLI, writes the CLI's pid and unlocks. Why not
 * let the CLI inherit a lock: podman passes descriptors it did not open on
 * to conmon, which lives as long as the container. Why not have the judge
 * hold the slot until it reaps its CLI: a judge waiting for its next
 * submission would keep the slot of a box start long ended.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "chan.h"
#include "cligate.h"
#include "util.h"

#define CLIGATE_POLL_MS	3

static int	cligate_slots;		/* 0: no gate */
static int64_t	cligate_wait_ms;
static long	cligate_owner;		/* the worker's pid; 0: no gate */
static char	cligate_prefix[4096];	/* the slots' path, but for their number */

static int	cligate_path(int slot, char *path, size_t size, char *errstr,
		    size_t errstr_size);
static int	cligate_open(int slot);
static int	cligate_proc(pid_t pid, unsigned long long *start);
static int	cligate_busy(int fd);

void
cligate_configure(int slots, int64_t wait_ms)
{
	const char *env = getenv(CLIGATE_ENV);
	char *end;
	long owner = 0;

	if (env != NULL) {
		owner = strtol(env, &end, 10);
		if (*end != '\0' || owner <= 0)
			owner = 0;
	}
	cligate_owner = owner;
	cligate_slots = slots > 0 ? (slots < CLIGATE_SLOTS_MAX ? slots : CLIGATE_SLOTS_MAX) : 0;
	cligate_wait_ms = wait_ms;
	cligate_prefix[0] = '\0';
}

void
cligate_export(void)
{
	char v[32];

	cligate_owner = (long)getpid();
	cligate_prefix[0] = '\0';
	snprintf(v, sizeof v, "%ld", cligate_owner);
	setenv(CLIGATE_ENV, v, 1);
}

/*
 * path = the slot's file (the socket dir made and checked the first time).
 * 0, or -1 with errstr.
 */
static int
cligate_path(int slot, char *path, size_t size, char *errstr, size_t errstr_size)
{
	char name[64];

	if (cligate_prefix[0] == '\0') {
		snprintf(name, sizeof name, "%ld-gate.", cligate_owner);
		if (chan_own_path(name, cligate_prefix, sizeof cligate_prefix, errstr,
		    errstr_size) != 0) {
			cligate_prefix[0] = '\0';
			return -1;
		}
	}
	snprintf(path, size, "%s%d", cligate_prefix, slot);
	return 0;
}

/* The slot's file, opened but not locked; -1 (said) when there is none. */
static int
cligate_open(int slot)
{
	char path[4096 + 16], err[256];
	int fd;

	if (cligate_path(slot, path, sizeof path, err, sizeof err) != 0) {
		log_warn("docker: %s: CLI calls are not bounded (SCRC_DOCKER_CALLS)", err);
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		log_warn("docker: %s: %s: CLI calls are not bounded (SCRC_DOCKER_CALLS)", path,
		    strerror(errno));
	return fd;
}

/* 1 with *start (its start time) when pid is a live process, else 0. */
static int
cligate_proc(pid_t pid, unsigned long long *start)
{
	char buf[1024];
	const char *p = util_proc_stat(pid, buf, sizeof buf);
	int field;

	if (p == NULL || *p == 'Z' || *p == 'X')
		return 0;
	/* The state is field 3, the start time field 22. */
	for (field = 3; field < 22 && p != NULL; field++) {
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	*start = p != NULL ? strtoull(p, NULL, 10) : 0;
	return 1;
}

/* 1 when the process the locked slot file names is still running. */
static int
cligate_busy(int fd)
{
	char buf[64];
	unsigned long long start, now;
	long pid;
	ssize_t n;

	n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%ld %llu", &pid, &start) != 2 || pid <= 0)
		return 0;
	return cligate_proc((pid_t)pid, &now) && now == start;
}

int
cligate_enter(void)
{
	static int warned;
	struct timespec nap = { 0, CLIGATE_POLL_MS * 1000000L };
	int fds[CLIGATE_SLOTS_MAX], slot, got = -1;
	int64_t deadline;

	if (cligate_slots == 0 || cligate_owner == 0)
		return -1;
	for (slot = 0; slot < cligate_slots; slot++) {
		fds[slot] = cligate_open(slot);
		/* Nothing to lock: nothing to wait for either, from now on. */
		if (fds[slot] < 0) {
			while (slot-- > 0)
				close(fds[slot]);
			cligate_slots = 0;
			return -1;
		}
	}
	deadline = util_now_ms() + cligate_wait_ms;
	while (got < 0) {
		for (slot = 0; slot < cligate_slots && got < 0; slot++) {
			/* Held only while a caller looks or starts its CLI: a moment. */
			if (flock(fds[slot], LOCK_EX | LOCK_NB) != 0)
				continue;
			if (!cligate_busy(fds[slot]))
				got = slot;
			else
				flock(fds[slot], LOCK_UN);
		}
		if (got >= 0 || util_now_ms() >= deadline)
			break;
		nanosleep(&nap, NULL);
	}
	for (slot = 0; slot < cligate_slots; slot++)
		if (slot != got)
			close(fds[slot]);
	if (got >= 0)
		return fds[got];
	if (!warned)
		log_warn("docker: %d CLI calls have been running for %lld ms: this one goes "
		    "ahead without waiting for them (SCRC_DOCKER_CALLS)", cligate_slots,
		    (long long)cligate_wait_ms);
	warned = 1;
	return -1;
}

void
cligate_held_by(int fd, pid_t cli)
{
	unsigned long long start;
	char buf[64];
	int n;

	if (fd < 0)
		return;
	n = 0;
	if (cli > 0 && cligate_proc(cli, &start))
		n = snprintf(buf, sizeof buf, "%ld %llu\n", (long)cli, start);
	/* An empty file is a free slot; a partial write can only read as free. */
	if (ftruncate(fd, 0) != 0 || (n > 0 && pwrite(fd, buf, (size_t)n, 0) != n))
		(void)ftruncate(fd, 0);
	close(fd);
}

void
cligate_remove(void)
{
	char path[4096 + 16];
	int slot;

	/* The judges may have made the files though this process never called. */
	if (cligate_owner != (long)getpid())
		return;
	for (slot = 0; slot < cligate_slots; slot++)
		if (cligate_path(slot, path, sizeof path, NULL, 0) == 0)
			unlink(path);
}
