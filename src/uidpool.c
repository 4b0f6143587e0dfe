/*
 * uidpool.c - per-box program uids, leased through flock(2) on one file
 * per uid (see uidpool.h). flock locks belong to the open file, so a
 * judging process that dies for any reason gives its uids back at once,
 * and a leftover file means nothing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uidpool.h"
#include "util.h"

#define UIDPOOL_DEFAULT_DIR	"/tmp/scrc-uids"

static uint32_t	 uidpool_base = 2000000000u;
static uint32_t	 uidpool_count = 10000;
static char	*uidpool_dir;

int
uidpool_configure(uint32_t base, uint32_t count, const char *dir, char *errstr,
    size_t errstr_size)
{
	struct stat st;

	if (count == 0 || base == 0 || (uint64_t)base + count > 0xfffffffeULL) {
		util_seterr(errstr, errstr_size, "uid range %u+%u is not usable", base, count);
		return -1;
	}
	if (mkdir(dir, 01777) == 0)
		chmod(dir, 01777);	/* mkdir's mode went through the umask */
	else if (errno != EEXIST) {
		util_seterr(errstr, errstr_size, "uid lock directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		util_seterr(errstr, errstr_size, "uid lock directory %s: not a directory", dir);
		return -1;
	}
	uidpool_base = base;
	uidpool_count = count;
	free(uidpool_dir);
	uidpool_dir = xstrdup(dir);
	return 0;
}

int
uidpool_acquire(struct uidpool_lease *lease, char *errstr, size_t errstr_size)
{
	char path[4096];
	uint32_t start, i, uid;
	int fd, err = 0;

	lease->fd = -1;
	if (uidpool_dir == NULL && uidpool_configure(uidpool_base, uidpool_count,
	    UIDPOOL_DEFAULT_DIR, errstr, errstr_size) != 0)
		return -1;
	/* A random start keeps concurrent judges from racing for one file. */
	if (getrandom(&start, sizeof start, GRND_NONBLOCK) != sizeof start)
		start = (uint32_t)getpid() * 2654435761u ^ (uint32_t)util_now_ms();
	for (i = 0; i < uidpool_count; i++) {
		uid = uidpool_base + (start + i) % uidpool_count;
		snprintf(path, sizeof path, "%s/%u", uidpool_dir, uid);
		fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			lease->uid = uid;
			lease->fd = fd;
			return 0;
		}
		close(fd);
	}
	if (err != 0)
		util_seterr(errstr, errstr_size, "no program uid: %s: %s", uidpool_dir,
		    strerror(err));
	else
		util_seterr(errstr, errstr_size, "no program uid: all %u of %u.. are in use",
		    uidpool_count, uidpool_base);
	return -1;
}

int
uidpool_host_lock(const char *name, char *errstr, size_t errstr_size)
{
	char path[4096];
	int fd;

	if (uidpool_dir == NULL && uidpool_configure(uidpool_base, uidpool_count,
	    UIDPOOL_DEFAULT_DIR, errstr, errstr_size) != 0)
		return -1;
	/* Not a number: no uid's lock file can have this name. */
	snprintf(path, sizeof path, "%s/%s.lock", uidpool_dir, name);
	fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		util_seterr(errstr, errstr_size, "lock %s: %s", path, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			util_seterr(errstr, errstr_size, "lock %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

int
uidpool_host_path(const char *name, char *out, size_t size)
{
	int n;

	if (uidpool_dir == NULL && uidpool_configure(uidpool_base, uidpool_count,
	    UIDPOOL_DEFAULT_DIR, NULL, 0) != 0)
		return -1;
	n = snprintf(out, size, "%s/%s", uidpool_dir, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

void
uidpool_release(struct uidpool_lease *lease)
{
	if (lease == NULL || lease->fd < 0)
		return;
	close(lease->fd);
	lease->fd = -1;
}
