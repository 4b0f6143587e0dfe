/*
 * warm.h - a box started before its submission is known. A worker keeps
 * judges waiting ahead of submissions (spare.h); each starts the box that
 * the last submission of its language needed first, from the key that
 * submission's judge reported (docker_spec_key). When the record comes,
 * every place that is about to start a box asks here first: a warm box
 * with exactly that key is taken instead, and the container's start is
 * off the submission's path. A warm box never ran anything, so taking it
 * is the same as starting a new one; one nobody took is closed with the
 * judge's other boxes.
 */
#ifndef SCRC_WARM_H
#define SCRC_WARM_H

#include <stddef.h>

#include "docker.h"

/* The environment variable that hands a waiting judge its key. */
#define WARM_ENV	"SCRC_WARM_BOX"

/*
 * Starts the box key describes and waits for its greeting. 0, or -1 with
 * err (no box kept: the submission then starts its own).
 */
int	warm_start(const char *key, char *err, size_t err_size);

/*
 * The warm box when its key equals spec's and it is still up (it sent
 * nothing since its greeting); it is the caller's from then on. NULL
 * otherwise (a box that died waiting is closed here).
 */
struct docker_box *warm_take(const struct docker_box_spec *spec);

/* Closes the warm box nobody took (docker_box_close_later); no-op if none. */
void	warm_drop(void);

#endif
