/*
 * monitor.c - the worker's metrics and health. Events come from the
 * worker's thread; /metrics and /healthz are answered on the HTTP server's
 * threads, so what they read is either in the registry (locked), in the
 * shared tally page (atomic), or in the few fields below under the lock.
 *
 * Health fails when the worker's loop has stalled or stopped taking
 * records, when the docker CLI last failed to reach its engine, or when
 * no broker answers a metadata request right now.
 */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docker.h"
#include "httpd.h"
#include "metrics.h"
#include "monitor.h"
#include "tally.h"
#include "util.h"

/* The loop is stalled when it has not come round for this long. */
#define MONITOR_STALL_MS	30000
/* How often the docker CLI is asked, and how long it may take to answer. */
#define MONITOR_DOCKER_EVERY_MS	10000
#define MONITOR_DOCKER_WAIT_MS	3000
/* Broker requests made for a scrape or a health check. */
#define MONITOR_KAFKA_WAIT_MS	2000
/* Longest language label kept as it is. */
#define MONITOR_LABEL_MAX	32

struct monitor {
	struct httpd		*httpd;
	struct kafka		*k;
	struct metrics		*reg;
	int			 tally_fd;
	pthread_mutex_t		 scrape;	/* one scrape at a time (the lag family) */
	pthread_mutex_t		 lock;		/* the fields below; never held across I/O */
	int64_t			 heartbeat_ms;
	int			 consuming;
	int			 docker_ok;
	char			 docker_why[256];
	int64_t			 docker_at;	/* worker thread only */

	struct metrics_family	*judged, *judge_s, *queue_s, *in_flight, *running, *slots;
	struct metrics_family	*infra, *retries, *started, *removed, *hits, *misses;
	struct metrics_family	*lag, *docker_up, *warm, *reused;
};

static void	monitor_render(struct buf *out, void *arg);
static int	monitor_health(char *why, size_t why_size, void *arg);
static void	monitor_lag_one(const char *topic, int32_t partition, int64_t lag, void *arg);

/* Seconds: from a fast judge to one of many long tests. */
static const double monitor_judge_bounds[] = {
	0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600
};
/* Queue time adds waiting for a slot: longer tail. */
static const double monitor_queue_bounds[] = {
	0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600
};

static const char *const monitor_lang_status[] = { "language", "status", NULL };
static const char *const monitor_topic_part[] = { "topic", "partition", NULL };
static const char *const monitor_kind[] = { "kind", NULL };
static const char *const monitor_outcome[] = { "outcome", NULL };

/* Every metric: where struct monitor keeps it, and what it is. */
struct monitor_family {
	size_t			 offset;
	enum metrics_type	 type;
	const char		*name;
	const char		*help;
	const char *const	*labels;
	const double		*bounds;
	size_t			 nbounds;
};

#define MONITOR_AT(f)	offsetof(struct monitor, f)
#define MONITOR_N(a)	(sizeof (a) / sizeof (a)[0])
static const struct monitor_family monitor_families[] = {
	{ MONITOR_AT(judged), METRICS_COUNTER, "scrc_submissions_judged_total",
	  "Results acknowledged by the broker, by the submission's language and status.",
	  monitor_lang_status, NULL, 0 },
	{ MONITOR_AT(judge_s), METRICS_HISTOGRAM, "scrc_judge_duration_seconds",
	  "From the first judging attempt's start to the result, retries included.", NULL,
	  monitor_judge_bounds, MONITOR_N(monitor_judge_bounds) },
	{ MONITOR_AT(queue_s), METRICS_HISTOGRAM, "scrc_queue_to_result_seconds",
	  "From the submission record's timestamp to its result's acknowledgement.", NULL,
	  monitor_queue_bounds, MONITOR_N(monitor_queue_bounds) },
	{ MONITOR_AT(in_flight), METRICS_GAUGE, "scrc_in_flight_submissions",
	  "Submissions consumed and not yet answered (queued, judging, retrying, publishing).",
	  NULL, NULL, 0 },
	{ MONITOR_AT(running), METRICS_GAUGE, "scrc_running_judges",
	  "Judging child processes running now.", NULL, NULL, 0 },
	{ MONITOR_AT(slots), METRICS_GAUGE, "scrc_slots",
	  "Submissions judged at once at most (RUNNER_MAX_PARALLEL).", NULL, NULL, 0 },
	{ MONITOR_AT(infra), METRICS_COUNTER, "scrc_infra_failures_total",
	  "Judging attempts that failed for infrastructure reasons.", NULL, NULL, 0 },
	{ MONITOR_AT(retries), METRICS_COUNTER, "scrc_retries_total",
	  "Failed judging attempts that were tried again.", NULL, NULL, 0 },
	{ MONITOR_AT(started), METRICS_COUNTER, "scrc_containers_started_total",
	  "Judge containers (boxes) created.", NULL, NULL, 0 },
	{ MONITOR_AT(removed), METRICS_COUNTER, "scrc_containers_removed_total",
	  "Judge containers (boxes) removed.", NULL, NULL, 0 },
	{ MONITOR_AT(hits), METRICS_COUNTER, "scrc_build_cache_hits_total",
	  "Builds taken from the build cache: kind=submission (a resubmission, a rejudge) "
	  "or kind=setter (checkers and interactors).", monitor_kind, NULL, 0 },
	{ MONITOR_AT(misses), METRICS_COUNTER, "scrc_build_cache_misses_total",
	  "Builds the build cache did not have (and that were then built), by kind.",
	  monitor_kind, NULL, 0 },
	{ MONITOR_AT(warm), METRICS_COUNTER, "scrc_warm_boxes_total",
	  "Boxes started ahead of their submission (SCRC_WARM_JUDGES): outcome=taken (a "
	  "submission's sandbox was exactly that box) or outcome=unused (it was not, or it "
	  "was sent away).", monitor_outcome, NULL, 0 },
	{ MONITOR_AT(reused), METRICS_COUNTER, "scrc_boxes_reused_total",
	  "Boxes kept for another submission (SCRC_BOX_REUSE): outcome=taken (one served "
	  "the next submission of its kind) or outcome=refused (its reset found something "
	  "left, so it was removed).", monitor_outcome, NULL, 0 },
	{ MONITOR_AT(lag), METRICS_GAUGE, "scrc_consumer_lag",
	  "Records of an assigned partition beyond the group's committed offset.",
	  monitor_topic_part, NULL, 0 },
	{ MONITOR_AT(docker_up), METRICS_GAUGE, "scrc_docker_up",
	  "1 when the docker CLI last reached its engine, else 0.", NULL, NULL, 0 },
};

struct monitor *
monitor_open(const char *listen, struct kafka *k, int64_t slots, char *errstr,
    size_t errstr_size)
{
	struct monitor *mon = xcalloc(1, sizeof *mon);
	struct metrics *r;
	char why[256];
	size_t i;

	pthread_mutex_init(&mon->lock, NULL);
	pthread_mutex_init(&mon->scrape, NULL);
	mon->k = k;
	mon->heartbeat_ms = util_now_ms();
	mon->consuming = 1;
	mon->docker_ok = 1;
	mon->reg = r = metrics_new();
	for (i = 0; i < sizeof monitor_families / sizeof monitor_families[0]; i++) {
		const struct monitor_family *d = &monitor_families[i];

		*(struct metrics_family **)((char *)mon + d->offset) = metrics_add(r, d->type,
		    d->name, d->help, d->labels, d->bounds, d->nbounds);
	}
	metrics_set(mon->slots, NULL, (double)slots);
	metrics_set(mon->docker_up, NULL, 1);

	mon->tally_fd = tally_create(why, sizeof why);
	if (mon->tally_fd < 0)
		log_warn("monitor: no container or cache counts from the judges: %s", why);
	mon->httpd = httpd_start(listen, monitor_render, monitor_health, mon, errstr,
	    errstr_size);
	if (mon->httpd == NULL) {
		monitor_close(mon);
		return NULL;
	}
	log_info("monitor: serving /metrics and /healthz on %s (port %u)", listen,
	    httpd_port(mon->httpd));
	return mon;
}

void
monitor_close(struct monitor *mon)
{
	if (mon == NULL)
		return;
	httpd_stop(mon->httpd);
	if (mon->tally_fd >= 0)
		close(mon->tally_fd);
	metrics_free(mon->reg);
	pthread_mutex_destroy(&mon->lock);
	pthread_mutex_destroy(&mon->scrape);
	free(mon);
}

int
monitor_tally_fd(const struct monitor *mon)
{
	return mon != NULL ? mon->tally_fd : -1;
}

void
monitor_language_label(const char *language, char *out, size_t out_size)
{
	size_t i, n = language != NULL ? strlen(language) : 0;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)language[i]) && strchr("_.+-", language[i]) == NULL)
			break;
	snprintf(out, out_size, "%s", n > 0 && i == n && n <= MONITOR_LABEL_MAX ? language :
	    "invalid");
}

void
monitor_judged(struct monitor *mon, const char *language, const char *status, double judge_s,
    double queue_s)
{
	char lang[MONITOR_LABEL_MAX + 1];

	if (mon == NULL)
		return;
	monitor_language_label(language, lang, sizeof lang);
	metrics_inc(mon->judged, (const char *const[]){ lang, status }, 1);
	if (judge_s >= 0)
		metrics_observe(mon->judge_s, NULL, judge_s);
	metrics_observe(mon->queue_s, NULL, queue_s >= 0 ? queue_s : 0);
}

void
monitor_infra_failure(struct monitor *mon)
{
	if (mon != NULL)
		metrics_inc(mon->infra, NULL, 1);
}

void
monitor_retry(struct monitor *mon)
{
	if (mon != NULL)
		metrics_inc(mon->retries, NULL, 1);
}

void
monitor_tick(struct monitor *mon, size_t in_flight, size_t running, int consuming)
{
	int64_t now;
	char why[256];
	int ok;

	if (mon == NULL)
		return;
	now = util_now_ms();
	metrics_set(mon->in_flight, NULL, (double)in_flight);
	metrics_set(mon->running, NULL, (double)running);
	pthread_mutex_lock(&mon->lock);
	mon->heartbeat_ms = now;
	mon->consuming = consuming;
	pthread_mutex_unlock(&mon->lock);
	if (mon->docker_at != 0 && now - mon->docker_at < MONITOR_DOCKER_EVERY_MS)
		return;
	/* Here, not on a server thread: libpipeline's children are the worker thread's. */
	ok = docker_ping(MONITOR_DOCKER_WAIT_MS, why, sizeof why) == 0;
	mon->docker_at = util_now_ms();
	pthread_mutex_lock(&mon->lock);
	if (ok != mon->docker_ok) {
		if (ok)
			log_info("monitor: docker answers again");
		else
			log_warn("monitor: docker does not answer: %s", why);
	}
	mon->docker_ok = ok;
	snprintf(mon->docker_why, sizeof mon->docker_why, "%s", ok ? "" : why);
	pthread_mutex_unlock(&mon->lock);
	metrics_set(mon->docker_up, NULL, ok);
}

static void
monitor_lag_one(const char *topic, int32_t partition, int64_t lag, void *arg)
{
	struct monitor *mon = arg;
	char part[16];

	snprintf(part, sizeof part, "%d", (int)partition);
	metrics_set(mon->lag, (const char *const[]){ topic, part }, (double)lag);
}

static void
monitor_render(struct buf *out, void *arg)
{
	struct monitor *mon = arg;
	char why[256];

	pthread_mutex_lock(&mon->scrape);
	metrics_set(mon->started, NULL, (double)tally_get(TALLY_CONTAINERS_STARTED));
	metrics_set(mon->removed, NULL, (double)tally_get(TALLY_CONTAINERS_REMOVED));
	metrics_set(mon->hits, (const char *const[]){ "setter" },
	    (double)tally_get(TALLY_CACHE_HITS));
	metrics_set(mon->misses, (const char *const[]){ "setter" },
	    (double)tally_get(TALLY_CACHE_MISSES));
	metrics_set(mon->hits, (const char *const[]){ "submission" },
	    (double)tally_get(TALLY_BUILD_HITS));
	metrics_set(mon->misses, (const char *const[]){ "submission" },
	    (double)tally_get(TALLY_BUILD_MISSES));
	metrics_set(mon->warm, (const char *const[]){ "taken" },
	    (double)tally_get(TALLY_WARM_TAKEN));
	metrics_set(mon->warm, (const char *const[]){ "unused" },
	    (double)tally_get(TALLY_WARM_UNUSED));
	metrics_set(mon->reused, (const char *const[]){ "taken" },
	    (double)tally_get(TALLY_REUSE_TAKEN));
	metrics_set(mon->reused, (const char *const[]){ "refused" },
	    (double)tally_get(TALLY_REUSE_REFUSED));
	/* Partitions come and go with rebalances: only today's are shown. */
	metrics_reset(mon->lag);
	if (kafka_lag(mon->k, MONITOR_KAFKA_WAIT_MS, monitor_lag_one, mon, why, sizeof why) != 0)
		log_debug("monitor: consumer lag: %s", why);
	metrics_render(mon->reg, out);
	pthread_mutex_unlock(&mon->scrape);
}

static int
monitor_health(char *why, size_t why_size, void *arg)
{
	struct monitor *mon = arg;
	char kwhy[256];
	int64_t idle;
	int rc = 0;

	pthread_mutex_lock(&mon->lock);
	idle = util_now_ms() - mon->heartbeat_ms;
	if (!mon->consuming) {
		util_seterr(why, why_size, "not consuming: the worker is shutting down");
		rc = -1;
	} else if (idle > MONITOR_STALL_MS) {
		util_seterr(why, why_size, "not consuming: the worker's loop has stalled for "
		    "%lld s", (long long)(idle / 1000));
		rc = -1;
	} else if (!mon->docker_ok) {
		util_seterr(why, why_size, "docker: %s", mon->docker_why);
		rc = -1;
	}
	pthread_mutex_unlock(&mon->lock);
	if (rc == 0 && kafka_probe(mon->k, MONITOR_KAFKA_WAIT_MS, kwhy, sizeof kwhy) != 0) {
		util_seterr(why, why_size, "kafka: %s", kwhy);
		rc = -1;
	}
	return rc;
}
