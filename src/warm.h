/*
 * warm.h - boxes ready before their submission is known. A worker keeps
 * judges waiting ahead of submissions (spare.h); each starts the box that
 * the last submission of its language needed first, from the key that
 * submission's judge reported (docker_spec_key), or holds the boxes its
 * last submission used, reset (warm_adopt). When the record comes, every
 * place that is about to start a box asks here first: a waiting box with
 * exactly that key is taken instead, and the container's start is off the
 * submission's path. A box started ahead never ran anything, and a reset
 * one was checked to be as it was fresh (SECURITY.md), so taking either is
 * the same as starting a new one; those nobody took are closed with the
 * judge's other boxes.
 */
#ifndef SCRC_WARM_H
#define SCRC_WARM_H

#include <stddef.h>

#include "docker.h"

/* The environment variable that hands a waiting judge its key. */
#define WARM_ENV	"SCRC_WARM_BOX"
/* Boxes one judge may hold waiting. */
#define WARM_MAX	4

/*
 * Starts the box key describes and waits for its greeting. 0, or -1 with
 * err (no box kept: the submission then starts its own).
 */
int	warm_start(const char *key, char *err, size_t err_size);

/*
 * A waiting box whose key equals spec's and that is still up (it sent
 * nothing since its greeting or reset); it is the caller's from then on.
 * NULL otherwise (a box that died waiting is closed here).
 */
struct docker_box *warm_take(const struct docker_box_spec *spec);

/*
 * A box the last submission used, reset (docker_box_reset): waiting from
 * now on, to be taken like one started ahead (the key is the same test).
 */
void	warm_adopt(struct docker_box *box);

/*
 * One of the waiting boxes the submission did not take, now the caller's
 * (it may keep it for the next submission); NULL when none is left.
 */
struct docker_box *warm_untaken(void);

/* Closes the waiting boxes nobody took (docker_box_close_later). */
void	warm_drop(void);

#endif
