/*
 * spare.h - judges the worker starts ahead of submissions. A spare is a
 * `scrc run --worker-child -` started with WARM_ENV (warm.h) set to the key
 * of the box the last submission of one language needed first: it starts
 * that box and waits on its stdin. The next submission of that language
 * takes it, so the container's start is off that submission's path.
 *
 * At most conf.warm_judges wait at once, one started ahead per language,
 * and only for a language judged in the last SPARE_IDLE_MS: a spare whose
 * language was not asked for that long is sent away (its stdin closed: it
 * removes its box and exits, reaped by reap.c), as is every spare once the
 * images change or the worker stops.
 *
 * With reuse, a judge that kept its box (WORKER_AGAIN_LINE) comes back to
 * the pool as its language's spare (spare_back); while judges of a
 * language are at work none is started for it, as one of them will most
 * likely come back with the box it would start, and a place is kept for
 * it. A judge coming back to a full pool takes the place of a language
 * asked for SPARE_TRADE_FACTOR times less, or is sent away.
 */
#ifndef SCRC_SPARE_H
#define SCRC_SPARE_H

#include <stdint.h>
#include <sys/types.h>

#include <pipeline.h>

#include "reap.h"

#define SPARE_IDLE_MS	60000

/* A started judge and our ends of its pipes. */
struct spare_child {
	pipeline	*pl;
	pid_t		 pid;
	int		 in_fd;
	int		 out_fd;
};

/*
 * Starts a judge with WARM_ENV=key (NULL: an ordinary judge): the worker's
 * own way of starting children. 0, or -1 with err.
 */
typedef int	(*spare_start_fn)(void *arg, const char *key, struct spare_child *out,
		    char *err, size_t err_size);

struct spare_pool;

/*
 * A pool of at most max spares, started with start(arg, ...), sent away to
 * reap; with reuse > 0, judges come back with their boxes (spare_back), at
 * most reuse of them per language (more than the worker's slots would not
 * all be asked for at once).
 */
struct spare_pool *spare_new(int64_t max, int64_t reuse, spare_start_fn start, void *arg,
	    struct reap *reap);

/* A judge of language reported the key of the box it needed first. */
void	spare_learn(struct spare_pool *p, const char *language, const char *key);

/*
 * A submission of language is about to be judged: its spare, when one
 * waits and was started under images_generation (0, out filled, the child
 * is the caller's), else -1. Either way the language counts as asked for
 * now.
 */
int	spare_take(struct spare_pool *p, const char *language, uint64_t images_generation,
	    struct spare_child *out);

/*
 * Every spare_take is followed, when its judge is done, by one of these:
 * spare_done (the judge went away), or spare_back, which offers the judge
 * that kept its box (started under child_generation of the images) as the
 * language's spare: 0 when taken (c is the pool's now), -1 when not (the
 * caller sends it away).
 */
void	spare_done(struct spare_pool *p, const char *language);
int	spare_back(struct spare_pool *p, const char *language, uint64_t child_generation,
	    uint64_t images_generation, const struct spare_child *c);

/*
 * Upkeep, once per loop: drops spares that died, sends away the idle and
 * those started under another images generation, and, when may_start,
 * starts the missing ones.
 */
void	spare_tick(struct spare_pool *p, int may_start, uint64_t images_generation);

/* How many wait now. */
size_t	spare_count(const struct spare_pool *p);

/* Sends every spare away (they go to the reaper). */
void	spare_retire_all(struct spare_pool *p);

/* SIGKILL to every spare's process group (the worker's second signal). */
void	spare_kill_all(struct spare_pool *p);

/* Retires them all and frees p (NULL: no-op). */
void	spare_free(struct spare_pool *p);

#endif
