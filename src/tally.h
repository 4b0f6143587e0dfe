/*
 * tally.h - counters that judging children add to and the worker reads.
 * The worker judges in child processes (`scrc run --worker-child`), where
 * containers are started and removed and the program cache is consulted;
 * those events are counted in one shared memory page that every child
 * maps, so that a child killed half-way still leaves its counts behind.
 */
#ifndef SCRC_TALLY_H
#define SCRC_TALLY_H

#include <stdint.h>

enum tally_counter {
	TALLY_CONTAINERS_STARTED,	/* judge boxes created */
	TALLY_CONTAINERS_REMOVED,	/* judge boxes removed */
	TALLY_CACHE_HITS,		/* a checker or interactor taken from the cache */
	TALLY_CACHE_MISSES,		/* one that had to be built */
	TALLY_BUILD_HITS,		/* a submission's build taken from the cache */
	TALLY_BUILD_MISSES,		/* one that had to be built */
	TALLY_WARM_TAKEN,		/* a box started ahead that a submission took */
	TALLY_WARM_UNUSED,		/* one that served nobody (not the box needed, died) */
	TALLY_REUSE_TAKEN,		/* a box that served a submission before took another */
	TALLY_REUSE_REFUSED,		/* one kept for that whose reset check failed */
	TALLY_N
};

/* The environment variable that tells a child which descriptor is the page. */
#define TALLY_ENV	"SCRC_TALLY_FD"
/* The descriptor number children get the page on (see worker.c). */
#define TALLY_CHILD_FD	3

/*
 * Worker: creates the shared page (a close-on-exec memfd) and maps it.
 * Returns its descriptor, or -1 with errstr (counting then stays off).
 */
int		 tally_create(char *errstr, size_t errstr_size);
/*
 * Child: maps the page named by TALLY_ENV, if any, and closes that
 * descriptor (so no docker CLI inherits it). Silently a no-op otherwise.
 */
void		 tally_attach(void);
/* Adds n to a counter; a no-op when no page is mapped. Async-signal-safe. */
void		 tally_add(enum tally_counter c, uint64_t n);
/* A counter's current value (0 without a page). */
uint64_t	 tally_get(enum tally_counter c);

#endif
