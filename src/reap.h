/*
 * reap.h - judging children that have given their final answer and are
 * still removing their boxes. The worker hands them over here so that it
 * can publish and start the next judge at once; they are reaped without
 * blocking its loop, killed when they take too long, and waited for (a
 * bounded time) before the worker exits, so that no box outlives it.
 */
#ifndef SCRC_REAP_H
#define SCRC_REAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <pipeline.h>

struct reap;

struct reap	*reap_new(void);

/*
 * Takes over pl (its one command's pid is pid), a child that answered for
 * submission id; it must exit within limit_ms or it is killed.
 */
void	reap_add(struct reap *r, pipeline *pl, pid_t pid, const char *id, int64_t limit_ms);

/* Reaps those that exited and kills the overdue. Returns how many are left. */
size_t	reap_poll(struct reap *r);

/* Waits up to wait_ms for every child, kills the rest, then frees r (NULL: no-op). */
void	reap_free(struct reap *r, int64_t wait_ms);

/* Second signal: SIGKILL to every child's process group, nothing waited for. */
void	reap_kill_all(struct reap *r);

#endif
