/*
 * monitor.h - the worker as operators see it: its Prometheus metrics and
 * its health, served over HTTP (httpd.c) when SCRC_METRICS_LISTEN is set.
 * The worker reports events and, once per loop, its state; everything
 * here is a no-op on a NULL monitor, so the worker need not ask whether
 * metrics are on.
 */
#ifndef SCRC_MONITOR_H
#define SCRC_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "kafka.h"

struct monitor;

/*
 * Starts serving on listen (ADDR:PORT) for the worker whose Kafka handle
 * is k (borrowed; it must outlive the monitor), with slots judges at most,
 * and sets up the counters judging children share (tally.h). Returns NULL
 * with errstr on failure.
 */
struct monitor	*monitor_open(const char *listen, struct kafka *k, int64_t slots,
		    char *errstr, size_t errstr_size);
/* Stops the server (waiting for requests in progress); NULL is a no-op. */
void		 monitor_close(struct monitor *mon);

/* The descriptor judging children get as TALLY_CHILD_FD, or -1 for none. */
int		 monitor_tally_fd(const struct monitor *mon);

/*
 * A result was acknowledged by the broker: counts it by language and
 * status; judge_s < 0 when no judge ran (a bad record answered at once).
 */
void	monitor_judged(struct monitor *mon, const char *language, const char *status,
	    double judge_s, double queue_s);
/* One judging attempt failed for infrastructure reasons (retried or not). */
void	monitor_infra_failure(struct monitor *mon);
/* A failed attempt will be tried again. */
void	monitor_retry(struct monitor *mon);
/*
 * Once per loop iteration, from the worker's thread: what is in flight,
 * how many judges run, and whether new records are still taken. Also
 * checks, every few seconds, that the docker CLI reaches its engine
 * (blocking for at most a few seconds when it hangs).
 */
void	monitor_tick(struct monitor *mon, size_t in_flight, size_t running, int consuming);

/*
 * The label a submission's language gets: itself when short and made of
 * [A-Za-z0-9_.+-], else "invalid" (the record is untrusted). Into out.
 */
void	monitor_language_label(const char *language, char *out, size_t out_size);

#endif
