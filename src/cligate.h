/*
 * cligate.h - at most N docker CLI calls at once for one worker and all of
 * its judges. Each call that starts a box is a Go program holding ~24 MB
 * while it runs, and when a burst of judges starts boxes together those
 * calls are most of the worker's memory. The gate is N slot files in the
 * channel dir (chan.h); a slot names the CLI process that holds it, and is
 * free again as soon as that process has ended, whether or not the judge
 * that started it has looked since.
 */
#ifndef SCRC_CLIGATE_H
#define SCRC_CLIGATE_H

#include <stdint.h>
#include <sys/types.h>

/* Tells the judges which worker's gate they share (its pid). */
#define CLIGATE_ENV		"SCRC_CLI_GATE_OWNER"
/* The most slots a gate has (SCRC_DOCKER_CALLS's ceiling). */
#define CLIGATE_SLOTS_MAX	64
/* How long a call waits for a slot before it goes ahead without one. */
#define CLIGATE_WAIT_MS		5000

/*
 * slots calls at once, a call waiting at most wait_ms. Only a worker
 * (cligate_export) and its judges (CLIGATE_ENV set) have a gate; any
 * other process, and slots 0, has none. Call before the first
 * cligate_enter.
 */
void	cligate_configure(int slots, int64_t wait_ms);

/*
 * Makes a gate of this process's own, whatever CLIGATE_ENV said, and the
 * one its children share (sets CLIGATE_ENV). A worker calls it before it
 * starts judges.
 */
void	cligate_export(void);

/*
 * Waits for a free slot and keeps it for the call about to start. Returns
 * a descriptor (close-on-exec) to hand to cligate_held_by once the CLI has
 * started; -1 when there is no gate, or when no slot came free in time
 * (logged once): the call then goes ahead without one, since the gate
 * bounds memory and never decides anything.
 */
int	cligate_enter(void);

/*
 * The slot taken by cligate_enter (fd, closed here; -1 is a no-op) is held
 * by process cli from now on, until it ends. cli 0: the call did not
 * start, and the slot is free at once.
 */
void	cligate_held_by(int fd, pid_t cli);

/*
 * Removes this process's slot files, when it owns the gate: a worker that
 * stops calls it once its judges are gone. (A worker killed leaves them to
 * the next one's start-up sweep, chan_sweep.)
 */
void	cligate_remove(void);

#endif
