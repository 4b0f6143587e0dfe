/*
 * tally.c - the shared counter page. Atomic adds on a MAP_SHARED mapping:
 * any number of children and the worker see one set of numbers, with no
 * message to pass back and nothing lost when a child dies.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "tally.h"
#include "util.h"

static uint64_t *tally_page;

int
tally_create(char *errstr, size_t errstr_size)
{
	size_t size = TALLY_N * sizeof *tally_page;
	void *p;
	int fd;

	fd = memfd_create("scrc-tally", MFD_CLOEXEC);
	if (fd < 0) {
		util_seterr(errstr, errstr_size, "memfd_create: %s", strerror(errno));
		return -1;
	}
	if (ftruncate(fd, (off_t)size) != 0) {
		util_seterr(errstr, errstr_size, "ftruncate: %s", strerror(errno));
		close(fd);
		return -1;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		util_seterr(errstr, errstr_size, "mmap: %s", strerror(errno));
		close(fd);
		return -1;
	}
	tally_page = p;
	return fd;
}

void
tally_attach(void)
{
	const char *env = getenv(TALLY_ENV);
	char *end;
	long fd;
	void *p;

	if (env == NULL || *env == '\0')
		return;
	fd = strtol(env, &end, 10);
	unsetenv(TALLY_ENV);
	if (*end != '\0' || fd < 0 || fd > 1024)
		return;
	p = mmap(NULL, TALLY_N * sizeof *tally_page, PROT_READ | PROT_WRITE, MAP_SHARED,
	    (int)fd, 0);
	close((int)fd);
	if (p == MAP_FAILED) {
		log_warn("tally: cannot map the worker's counters: %s", strerror(errno));
		return;
	}
	tally_page = p;
}

void
tally_add(enum tally_counter c, uint64_t n)
{
	if (tally_page != NULL && c < TALLY_N)
		__atomic_add_fetch(&tally_page[c], n, __ATOMIC_RELAXED);
}

uint64_t
tally_get(enum tally_counter c)
{
	if (tally_page == NULL || c >= TALLY_N)
		return 0;
	return __atomic_load_n(&tally_page[c], __ATOMIC_RELAXED);
}
