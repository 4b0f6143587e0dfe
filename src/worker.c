/*
 * worker.c - the daemon loop. Each submission is judged by a child process
 * (`scrc run --worker-child -`, started with libpipeline): the record value
 * goes to its stdin, one result line comes back on its stdout. Children run
 * in parallel up to conf.max_parallel; their pipes are polled together with
 * the Kafka cadence so that a slow judge never blocks the others.
 *
 * A result line followed by WORKER_FINAL_LINE and the end of the output:
 * the verdict is final, published at once; the child, still removing its
 * boxes, goes to the reaper (reap.c) and its slot to the next submission.
 * Child exit 0: the line is the result. Exit 75: infrastructure failure,
 * the line is an IE result; tried again with exponential backoff. Anything
 * else (crash, no line, garbage) is treated as an infrastructure failure
 * too, and when the attempts are used up the worker answers IE itself.
 *
 * The worker never judges in-process; it parses each record only to learn
 * its id and to answer `done` and malformed records without a child.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <pipeline.h>

#include "cligate.h"
#include "conf.h"
#include "docker.h"
#include "imageid.h"
#include "kafka.h"
#include "monitor.h"
#include "reap.h"
#include "request.h"
#include "result.h"
#include "spare.h"
#include "tally.h"
#include "util.h"
#include "warm.h"
#include "worker.h"

/*
 * Records held beyond the slots, waiting for one. librdkafka acts on a
 * resume of paused partitions only at its broker thread's next wake-up, up
 * to a second later when nothing was being fetched (measured: a record
 * produced just after a resume waited 586-1003 ms, at one submission in
 * flight): pausing only once a record waits keeps that off the path, as a
 * slot that frees starts the waiting record at once and the fetch resumes
 * while it is judged. A record waiting here is not committed: a revoke
 * abandons it for its partition's next owner, a crash redelivers it.
 */
#define WORKER_AHEAD		1
/* Main loop cadence: the longest poll() on child pipes, in ms. */
#define WORKER_TICK_MS		50
/* Backoff between attempts: 1 s, 2 s, 4 s, ... capped. */
#define WORKER_BACKOFF_MS	1000
#define WORKER_BACKOFF_MAX_MS	30000
/* A child gets this long after SIGTERM before SIGKILL. */
#define WORKER_KILL_GRACE_MS	3000
/* A revoke must finish well within max.poll.interval.ms (300 s). */
#define WORKER_REVOKE_MAX_MS	240000
/* How long the last results may take to be acknowledged at exit. */
#define WORKER_FLUSH_MS		10000
/* How long a judge that answered may take to remove its boxes. */
#define WORKER_REAP_MS		120000
/* Watchdog on one attempt: this much, plus per test its wall limit and the slack. */
#define WORKER_WATCHDOG_BASE_MS	120000
#define WORKER_WATCHDOG_SLACK_MS 2000

enum worker_state {
	WORKER_JOB_QUEUED,	/* consumed, waiting for a free slot */
	WORKER_JOB_RUNNING,	/* a child is judging it */
	WORKER_JOB_BACKOFF,	/* failed; waiting for retry_at */
	WORKER_JOB_PUBLISHING,	/* result produced or about to be, awaiting the ack */
};

enum worker_stop {
	WORKER_RUN,
	WORKER_STOP_DONE,	/* a `done` record */
	WORKER_STOP_SIGNAL,	/* SIGTERM/SIGINT: drain, bounded */
	WORKER_STOP_FATAL,	/* librdkafka fatal error: abandon */
};

struct worker_job {
	struct worker_job	*next;
	enum worker_state	 state;
	struct kafka_mark	*mark;		/* NULL once abandoned */

	char			*id;
	char			*fallback_id;
	char			*language;
	char			*topic;
	int32_t			 partition;
	int64_t			 offset;
	int64_t			 record_ts;	/* wall ms of the record, or -1 */
	int64_t			 received_ms;	/* monotonic */
	char			*value;		/* the record, sent to each attempt */
	size_t			 value_len;
	char			*feed;		/* what this attempt's stdin gets: the id
						   and the value, framed (worker.h) */
	size_t			 feed_len;
	int64_t			 watchdog_ms;	/* longest one attempt may take */
	int64_t			 first_start_ms; /* monotonic: first attempt began, 0 = none */
	int64_t			 ready_ms;	/* monotonic: the result was ready */

	int			 attempts;
	int64_t			 retry_at;
	char			*last_why;	/* why the last attempt failed */

	/* The running attempt. */
	pipeline		*pl;
	pid_t			 pid;
	int			 in_fd;
	size_t			 in_off;
	int			 out_fd;
	struct buf		 out;
	int			 out_over;	/* output beyond any sane line */
	int64_t			 deadline;
	int			 lent;		/* counted in the spares' judges out */
	int			 again;		/* the child said WORKER_AGAIN_LINE */
	uint64_t		 child_gen;	/* images generation the child started under */

	/* The result to publish. */
	char			*result;
	size_t			 result_len;
	int			 queued;	/* handed to the producer */
	int			 resized;	/* replaced by a small IE once */
};

struct worker {
	struct kafka		*k;
	struct monitor		*mon;		/* NULL without SCRC_METRICS_LISTEN */
	int			 tally_fd;	/* given to children, or -1 */
	struct worker_job	*jobs;
	const char		*self;
	char			*name;
	enum worker_stop	 stop;
	int64_t			 drain_deadline;
	int			 paused;
	int			 pause_dirty;
	int64_t			 pause_at;	/* when the pause state was last applied */
	int			 closing;
	uint64_t		 answered;	/* results acknowledged */
	uint64_t		 counted;	/* distinct records answered: SCRIPT_EXPECTED */
	uint64_t		*seen;		/* open-addressing set of record hashes */
	size_t			 seen_cap;
	uint64_t		 answered_ie;
	uint64_t		 retries;
	uint64_t		 stats_answered;
	int64_t			 stats_at;
	int64_t			 started_ms;
	struct reap		*reap;		/* judges that answered, removing boxes */
	char			*image_ids;	/* IMAGEID_ENV for the judges */
	int64_t			 image_ids_at;	/* when it was listed */
	uint64_t		 image_gen;	/* bumped when the listing changes */
	struct spare_pool	*spares;	/* judges started ahead */
};

static volatile sig_atomic_t worker_signals;
static volatile sig_atomic_t worker_last_signal;

static void	worker_on_signal(int signo);
static void	worker_child_setup(void *data);
static int64_t	worker_wall_ms(void);
static char	*worker_default_name(void);
static const char *worker_self(void);
static size_t	worker_count(struct worker *w, int state_mask);
static void	worker_job_free(struct worker_job *job);
static void	worker_job_unlink(struct worker *w, struct worker_job *job);
static void	worker_close_fds(struct worker_job *job);
static int	worker_start_child(struct worker *w, struct worker_job *job);
static void	worker_kill_child(struct worker_job *job);
static void	worker_abandon(struct worker *w, struct worker_job *job, const char *why);
static void	worker_publish(struct worker *w, struct worker_job *job, char *json,
		    size_t len);
static void	worker_publish_ie(struct worker *w, struct worker_job *job,
		    const char *fmt, ...) UTIL_PRINTF(3, 4);
static void	worker_try_produce(struct worker *w, struct worker_job *job);
static int	worker_line_ok(struct buf *out, size_t *len);
static void	worker_finish_attempt(struct worker *w, struct worker_job *job,
		    const char *killed_why);
static void	worker_io(struct worker *w, int timeout_ms);
static void	worker_dispatch(struct worker *w);
static void	worker_accept(struct worker *w, rd_kafka_message_t *m);
static void	worker_delivered(void *opaque, rd_kafka_resp_err_t err, const char *errstr,
		    void *arg);
static void	worker_revoke(const rd_kafka_topic_partition_list_t *parts, int lost,
		    void *arg);
static void	worker_assigned(const rd_kafka_topic_partition_list_t *parts, void *arg);
static void	worker_field(const char *json, const char *key, char *out, size_t size);
static void	worker_stats(struct worker *w, int force);
static int	worker_seen_add(struct worker *w, const struct worker_job *job);
static int	worker_enough(struct worker *w);
static void	worker_force_exit(struct worker *w) UTIL_NORETURN;

#define WORKER_MASK(s)	(1 << (s))
#define WORKER_ACTIVE	(WORKER_MASK(WORKER_JOB_QUEUED) | WORKER_MASK(WORKER_JOB_RUNNING) | \
			 WORKER_MASK(WORKER_JOB_BACKOFF))
#define WORKER_ALL	(WORKER_ACTIVE | WORKER_MASK(WORKER_JOB_PUBLISHING))

static void
worker_on_signal(int signo)
{
	worker_last_signal = signo;
	worker_signals++;
}

/*
 * Runs in the child between fork and exec: its own process group (a ^C on
 * the worker's terminal must not reach the judges; the worker decides), a
 * SIGTERM if the worker dies, default SIGPIPE again, only fds 0-2 open
 * (and the shared tally page as TALLY_CHILD_FD, with metrics), and no
 * blocked signals:
 * libpipeline forks with SIGCHLD blocked and leaves it so in the child,
 * where it would starve the judge's own libpipeline SIGCHLD handler.
 */
static void
worker_child_setup(void *data)
{
	sigset_t none;

	const struct worker *w = data;
	int first_closed = 3;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (w->tally_fd >= 0) {
		/* dup2 clears close-on-exec; the same number keeps it, so clear it. */
		if (w->tally_fd == TALLY_CHILD_FD)
			fcntl(TALLY_CHILD_FD, F_SETFD, 0);
		else
			dup2(w->tally_fd, TALLY_CHILD_FD);
		first_closed = TALLY_CHILD_FD + 1;
	}
	/* librdkafka's internal pipes are not close-on-exec. */
	close_range((unsigned)first_closed, ~0U, 0);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	signal(SIGPIPE, SIG_DFL);
}

static int64_t
worker_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *
worker_default_name(void)
{
	char host[256];

	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	return xasprintf("%s:%ld", host, (long)getpid());
}

/*
 * The judge: SCRC_JUDGE_COMMAND when set; else scrc-judge beside this
 * binary (the build tree), else the installed one (SCRC_JUDGE_PATH) when it
 * sits beside the installed scrc; else this very binary, which judges as
 * well, only with more libraries loaded per judge.
 */
static const char *
worker_self(void)
{
	static char path[4096];
	const char *env = getenv("SCRC_JUDGE_COMMAND");
	char *slash, *beside;
	ssize_t n;

	if (env != NULL && *env != '\0')
		return env;
	n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (slash != NULL) {
		beside = xasprintf("%.*s/scrc-judge", (int)(slash - path), path);
		if (access(beside, X_OK) == 0) {
			snprintf(path, sizeof path, "%s", beside);
			free(beside);
			return path;
		}
		free(beside);
		/* Only the judge installed with this scrc: never another build's. */
		if ((size_t)(slash - path) == strlen(SCRC_BINDIR) &&
		    strncmp(path, SCRC_BINDIR, strlen(SCRC_BINDIR)) == 0 &&
		    access(SCRC_JUDGE_PATH, X_OK) == 0) {
			snprintf(path, sizeof path, "%s", SCRC_JUDGE_PATH);
			return path;
		}
	}
	return path;
}

static size_t
worker_count(struct worker *w, int state_mask)
{
	struct worker_job *job;
	size_t n = 0;

	for (job = w->jobs; job != NULL; job = job->next)
		if (state_mask & WORKER_MASK(job->state))
			n++;
	return n;
}

/* Drops what the last attempt's stdin got. */
static void
worker_feed_free(struct worker_job *job)
{
	free(job->feed);
	job->feed = NULL;
	job->feed_len = 0;
}

static void
worker_job_free(struct worker_job *job)
{
	if (job == NULL)
		return;
	free(job->id);
	free(job->fallback_id);
	free(job->language);
	free(job->topic);
	worker_feed_free(job);
	free(job->value);
	free(job->last_why);
	buf_free(&job->out);
	free(job->result);
	free(job);
}

static void
worker_job_unlink(struct worker *w, struct worker_job *job)
{
	struct worker_job **jp;

	for (jp = &w->jobs; *jp != NULL; jp = &(*jp)->next)
		if (*jp == job) {
			*jp = job->next;
			return;
		}
}

static void
worker_close_fds(struct worker_job *job)
{
	if (job->in_fd >= 0)
		close(job->in_fd);
	if (job->out_fd >= 0)
		close(job->out_fd);
	job->in_fd = job->out_fd = -1;
}

/*
 * The engine's image ids for the judges' build cache: listed once for all
 * of them, again when the listing is older than IMAGEID_REFRESH_MS (an
 * image rebuilt meanwhile is seen within that), and not at all while no
 * submission comes. When the engine cannot be asked the judges get an
 * empty listing, so builds go uncached rather than each judge asking.
 */
static const char *
worker_image_ids(struct worker *w)
{
	int64_t now = util_now_ms();
	char why[512], *list;

	if (w->image_ids != NULL && now - w->image_ids_at < IMAGEID_REFRESH_MS)
		return w->image_ids;
	list = imageid_list(why, sizeof why);
	if (list == NULL) {
		log_warn("worker: listing the images for the build cache: %s", why);
		list = xstrdup("");
	}
	/* A judge started ahead under the old listing would key its builds wrong. */
	if (w->image_ids != NULL && strcmp(w->image_ids, list) != 0)
		w->image_gen++;
	free(w->image_ids);
	w->image_ids = list;
	w->image_ids_at = now;
	return list;
}

/*
 * Starts a judge: for a submission, or ahead of it with warm_key (the box
 * to start, warm.h); either reads its submissions framed on stdin. Our ends of both
 * pipes are close-on-exec, so no other child inherits them (one would
 * otherwise hold another's stdin open); pipeline_start() closes the
 * child's ends in this process itself. 0, or -1 with err.
 */
static int
worker_spawn(struct worker *w, const char *warm_key, struct spare_child *c, char *err,
    size_t err_size)
{
	int in[2], out[2];
	pipecmd *cmd;

	if (pipe2(in, O_CLOEXEC) != 0) {
		util_seterr(err, err_size, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(out, O_CLOEXEC) != 0) {
		util_seterr(err, err_size, "pipe: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		return -1;
	}
	cmd = pipecmd_new(w->self);
	pipecmd_arg(cmd, "run");
	pipecmd_arg(cmd, "--worker-child");
	pipecmd_arg(cmd, "-");
	if (warm_key != NULL)
		pipecmd_setenv(cmd, WARM_ENV, warm_key);
	if (conf.cache_bytes > 0)
		pipecmd_setenv(cmd, IMAGEID_ENV, worker_image_ids(w));
	if (w->tally_fd >= 0) {
		char fd[16];

		snprintf(fd, sizeof fd, "%d", TALLY_CHILD_FD);
		pipecmd_setenv(cmd, TALLY_ENV, fd);
	}
	pipecmd_pre_exec(cmd, worker_child_setup, NULL, w);
	c->pl = pipeline_new_commands(cmd, (void *)NULL);
	pipeline_want_in(c->pl, in[0]);
	pipeline_want_out(c->pl, out[1]);
	/* Our SIGINT/SIGTERM handling must stay in force while children run. */
	pipeline_ignore_signals(c->pl, 0);
	pipeline_start(c->pl);	/* error(FATAL) only if fork itself fails */
	c->pid = pipeline_get_pid(c->pl, 0);
	c->in_fd = in[1];
	c->out_fd = out[0];
	fcntl(c->in_fd, F_SETFL, fcntl(c->in_fd, F_GETFL) | O_NONBLOCK);
	fcntl(c->out_fd, F_SETFL, fcntl(c->out_fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

/* spare_start_fn: a judge ahead of its submission. */
static int
worker_spawn_spare(void *arg, const char *key, struct spare_child *c, char *err,
    size_t err_size)
{
	return worker_spawn(arg, key, c, err, err_size);
}

/* The attempt's stdin: the id to answer under, then the record, framed. */
static void
worker_feed(struct worker_job *job)
{
	size_t idlen = strlen(job->fallback_id);
	char head[2][32];
	int n0, n1;

	worker_feed_free(job);
	n0 = snprintf(head[0], sizeof head[0], "%zu\n", idlen);
	n1 = snprintf(head[1], sizeof head[1], "%zu\n", job->value_len);
	job->feed_len = (size_t)n0 + idlen + (size_t)n1 + job->value_len;
	job->feed = xmalloc(job->feed_len);
	memcpy(job->feed, head[0], (size_t)n0);
	memcpy(job->feed + n0, job->fallback_id, idlen);
	memcpy(job->feed + n0 + idlen, head[1], (size_t)n1);
	memcpy(job->feed + n0 + idlen + n1, job->value, job->value_len);
}

/* The spares stop counting job's judge as one that may bring its box back. */
static void
worker_unlend(struct worker *w, struct worker_job *job)
{
	if (job->lent)
		spare_done(w->spares, job->language);
	job->lent = 0;
}

/*
 * Starts one attempt: in a judge waiting for its language when one does
 * (started ahead, or one that judged the last such submission and kept
 * its box), else in a new one.
 */
static int
worker_start_child(struct worker *w, struct worker_job *job)
{
	struct spare_child c;
	char err[512];
	int warm = 0;

	worker_feed(job);
	if (conf.cache_bytes > 0)
		(void)worker_image_ids(w);	/* a stale listing is renewed first */
	if (spare_take(w->spares, job->language, w->image_gen, &c) == 0)
		warm = 1;
	else if (worker_spawn(w, NULL, &c, err, sizeof err) != 0) {
		free(job->last_why);
		job->last_why = xstrdup(err);
		spare_done(w->spares, job->language);
		return -1;
	}
	job->lent = 1;
	job->again = 0;
	job->child_gen = w->image_gen;
	job->pl = c.pl;
	job->pid = c.pid;
	job->in_fd = c.in_fd;
	job->out_fd = c.out_fd;
	job->in_off = 0;
	buf_reset(&job->out);
	job->out_over = 0;
	job->attempts++;
	if (job->first_start_ms == 0)
		job->first_start_ms = util_now_ms();
	job->deadline = util_add_sat(util_now_ms(), job->watchdog_ms);
	job->state = WORKER_JOB_RUNNING;
	log_debug("worker: %s: attempt %d, pid %ld%s", job->id, job->attempts, (long)job->pid,
	    warm ? " (started ahead)" : "");
	return 0;
}

/* SIGTERM to the child's process group, SIGKILL after a grace period; reaps. */
static void
worker_kill_child(struct worker_job *job)
{
	int64_t until = util_now_ms() + WORKER_KILL_GRACE_MS;
	siginfo_t si;

	if (job->pl == NULL)
		return;
	worker_close_fds(job);
	if (kill(-job->pid, SIGTERM) != 0)
		kill(job->pid, SIGTERM);
	for (;;) {
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, job->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0 ||
		    si.si_pid == job->pid)
			break;
		if (util_now_ms() >= until) {
			if (kill(-job->pid, SIGKILL) != 0)
				kill(job->pid, SIGKILL);
			break;
		}
		usleep(20000);
	}
	pipeline_wait(job->pl);
	pipeline_free(job->pl);
	job->pl = NULL;
	job->pid = 0;
}

/*
 * Gives a job up without an answer: its offset is never stored, so the
 * submission is consumed and judged again (here after a restart, or by the
 * partition's next owner). A job whose result is already with the producer
 * stays listed until its delivery report.
 */
static void
worker_abandon(struct worker *w, struct worker_job *job, const char *why)
{
	log_warn("worker: abandoning %s (%s[%d]@%lld): %s; it will be judged again",
	    job->id, job->topic, (int)job->partition, (long long)job->offset, why);
	kafka_drop(w->k, job->mark);
	job->mark = NULL;
	if (job->state == WORKER_JOB_PUBLISHING && job->queued)
		return;
	worker_kill_child(job);
	worker_job_unlink(w, job);
	worker_job_free(job);
}

/* Takes ownership of json and hands it to the producer. */
static void
worker_publish(struct worker *w, struct worker_job *job, char *json, size_t len)
{
	free(job->result);
	job->result = json;
	job->result_len = len;
	job->queued = 0;
	job->state = WORKER_JOB_PUBLISHING;
	job->ready_ms = util_now_ms();
	worker_feed_free(job);
	free(job->value);	/* no further attempt needs the record */
	job->value = NULL;
	worker_try_produce(w, job);
}

static void
worker_publish_ie(struct worker *w, struct worker_job *job, const char *fmt, ...)
{
	struct result r;
	va_list ap;
	char *msg, *json;
	size_t len;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	result_init(&r, job->id);
	r.status = RESULT_IE;
	result_set_error(&r, "%s", msg != NULL ? msg : "internal error");
	r.worker = xstrdup(w->name);
	json = result_to_json(&r, (size_t)conf.field_cap_bytes,
	    (size_t)conf.max_message_bytes, &len);
	result_free(&r);
	free(msg);
	worker_publish(w, job, json, len);
}

static void
worker_try_produce(struct worker *w, struct worker_job *job)
{
	char why[512];

	if (job->queued)
		return;
	if (kafka_produce(w->k, job->id, job->result, job->result_len, job, why,
	    sizeof why) != 0) {
		/* Queue full or similar: the loop tries again. */
		log_warn("worker: %s: %s; will retry", job->id, why);
		return;
	}
	job->queued = 1;
}

/* One line, a JSON object, nothing after it. Sets *len without the newline. */
static int
worker_line_ok(struct buf *out, size_t *len)
{
	size_t n = out->len;

	if (n > 0 && out->data[n - 1] == '\n')
		n--;
	if (n < 2 || out->data[0] != '{' || out->data[n - 1] != '}' ||
	    memchr(out->data, '\n', n) != NULL || memchr(out->data, '\0', n) != NULL)
		return 0;
	*len = n;
	return 1;
}

/*
 * Whether a child's whole output is a result line and the trailer saying
 * the verdict is final, with the warm line between them or not; if so
 * both are dropped (the key goes to the spares) and *len is the line's
 * length.
 */
static int
worker_final(struct worker *w, struct worker_job *job, size_t *len)
{
	static const char trailer[] = "\n" WORKER_FINAL_LINE "\n";
	static const char again[] = "\n" WORKER_AGAIN_LINE "\n";
	static const char warm[] = "\n" WORKER_WARM_LINE " ";
	size_t n = sizeof trailer - 1, i;
	struct buf *out = &job->out;

	if (job->out_over || out->len <= n || memcmp(out->data + out->len - n, trailer, n) != 0)
		return 0;
	out->len -= n - 1;	/* keeps the line's own newline */
	out->data[out->len] = '\0';
	n = sizeof again - 1;
	if (out->len > n && memcmp(out->data + out->len - n, again, n) == 0) {
		job->again = 1;
		out->len -= n - 1;
		out->data[out->len] = '\0';
	}
	/* The line before the trailer, when it is the warm line. */
	for (i = out->len - 1; i > 0 && out->data[i - 1] != '\n'; i--)
		;
	if (i > 0 && out->len - i > sizeof warm - 1 &&
	    memcmp(out->data + i - 1, warm, sizeof warm - 1) == 0) {
		out->data[out->len - 1] = '\0';
		if (job->language != NULL && memchr(out->data + i, '\0', out->len - 1 - i) == NULL)
			spare_learn(w->spares, job->language, out->data + i + sizeof warm - 2);
		out->len = i;
		out->data[out->len] = '\0';
	}
	return worker_line_ok(out, len);
}

/*
 * A final answer: published now. A child that kept its box waits for the
 * next submission of its language among the spares when they take it;
 * else it is handed to the reaper while it removes its boxes (off the
 * submission's latency and out of its slot).
 */
static void
worker_hand_off(struct worker *w, struct worker_job *job, size_t len)
{
	struct spare_child c = { job->pl, job->pid, job->in_fd, job->out_fd };

	if (job->again && job->in_fd >= 0 && job->out_fd >= 0 && job->lent &&
	    spare_back(w->spares, job->language, job->child_gen, w->image_gen, &c) == 0) {
		job->lent = 0;
		job->in_fd = job->out_fd = -1;
	} else {
		worker_unlend(w, job);
		worker_close_fds(job);
		reap_add(w->reap, job->pl, job->pid, job->id, WORKER_REAP_MS);
	}
	job->pl = NULL;
	job->pid = 0;
	worker_publish(w, job, buf_steal(&job->out, NULL), len);
}

/*
 * Decides what an attempt gave. The child has exited: reaped here unless
 * killed_why is set (the watchdog killed and reaped it already).
 */
static void
worker_finish_attempt(struct worker *w, struct worker_job *job, const char *killed_why)
{
	int status = -1, ok = 0;
	size_t len = 0;
	int64_t delay;
	char *cmdline = NULL;

	worker_unlend(w, job);
	if (killed_why == NULL) {
		worker_close_fds(job);
		status = pipeline_wait(job->pl);
		cmdline = pipeline_tostring(job->pl);
		pipeline_free(job->pl);
		job->pl = NULL;
		job->pid = 0;
		ok = !job->out_over && worker_line_ok(&job->out, &len);
	}

	if (status == 0 && ok) {
		worker_publish(w, job, buf_steal(&job->out, NULL), len);
		free(cmdline);
		return;
	}
	free(job->last_why);
	if (killed_why != NULL)
		job->last_why = xstrdup(killed_why);
	else if (status == WORKER_EXIT_RETRY && ok)
		job->last_why = xasprintf("infrastructure failure (exit %d)", status);
	else if (status == 0 || status == WORKER_EXIT_RETRY)
		job->last_why = xasprintf("judge exited %d without a valid result line "
		    "(%zu bytes of output)", status, job->out.len);
	else if (status > 128)
		job->last_why = xasprintf("judge killed by signal %d", status - 128);
	else
		job->last_why = xasprintf("judge exited %d", status);
	log_warn("worker: %s: attempt %d/%lld failed: %s [%s]", job->id, job->attempts,
	    (long long)conf.infra_retries + 1, job->last_why, cmdline ? cmdline : w->self);
	free(cmdline);
	monitor_infra_failure(w->mon);

	if (job->attempts <= conf.infra_retries && w->stop != WORKER_STOP_FATAL) {
		delay = WORKER_BACKOFF_MS << (job->attempts - 1 < 15 ? job->attempts - 1 : 15);
		if (delay > WORKER_BACKOFF_MAX_MS)
			delay = WORKER_BACKOFF_MAX_MS;
		job->retry_at = util_now_ms() + delay;
		job->state = WORKER_JOB_BACKOFF;
		w->retries++;
		monitor_retry(w->mon);
		return;
	}
	/* Out of attempts: the child's own IE line says best what went wrong. */
	if (status == WORKER_EXIT_RETRY && ok)
		worker_publish(w, job, buf_steal(&job->out, NULL), len);
	else
		worker_publish_ie(w, job, "judging failed after %d attempt(s): %s",
		    job->attempts, job->last_why);
}

/*
 * One round of child I/O: waits up to timeout_ms on every running child's
 * pipes, feeds stdin, collects stdout, finishes children at EOF and kills
 * those past their watchdog.
 */
static void
worker_io(struct worker *w, int timeout_ms)
{
	struct pollfd *fds;
	struct worker_job **owner, *job, *next;
	size_t n = 0, cap, i;
	int64_t now;
	siginfo_t si;
	ssize_t r;
	char chunk[65536];
	size_t limit = (size_t)conf.max_message_bytes + 65536, len;

	cap = 2 * worker_count(w, WORKER_MASK(WORKER_JOB_RUNNING)) + 2;
	fds = xcalloc(cap, sizeof *fds);
	owner = xcalloc(cap, sizeof *owner);
	/* A record arriving while we sleep here wakes us (kafka_wake_fd). */
	if ((fds[n].fd = kafka_wake_fd(w->k)) >= 0) {
		fds[n].events = POLLIN;
		owner[n++] = NULL;
	}
	for (job = w->jobs; job != NULL; job = job->next) {
		if (job->state != WORKER_JOB_RUNNING)
			continue;
		if (job->in_fd >= 0 && job->in_off < job->feed_len) {
			fds[n].fd = job->in_fd;
			fds[n].events = POLLOUT;
			owner[n++] = job;
		}
		if (job->out_fd >= 0) {
			fds[n].fd = job->out_fd;
			fds[n].events = POLLIN;
			owner[n++] = job;
		}
	}
	if (poll(fds, n, timeout_ms) < 0 && errno != EINTR)
		log_warn("worker: poll: %s", strerror(errno));

	for (i = 0; i < n; i++) {
		job = owner[i];
		if (fds[i].revents == 0 || job == NULL)
			continue;
		if (fds[i].fd == job->in_fd) {
			r = write(job->in_fd, job->feed + job->in_off,
			    job->feed_len - job->in_off);
			if (r > 0)
				job->in_off += (size_t)r;
			/* The child stopped reading (EPIPE); done, it stays open. */
			if (r < 0 && errno != EAGAIN && errno != EINTR) {
				close(job->in_fd);
				job->in_fd = -1;
			}
		} else if (fds[i].fd == job->out_fd) {
			r = read(job->out_fd, chunk, sizeof chunk);
			if (r > 0) {
				if (job->out.len + (size_t)r <= limit)
					buf_append(&job->out, chunk, (size_t)r);
				else
					job->out_over = 1;
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(job->out_fd);
				job->out_fd = -1;
			}
		}
	}
	free(fds);
	free(owner);

	now = util_now_ms();
	for (job = w->jobs; job != NULL; job = next) {
		next = job->next;
		if (job->state != WORKER_JOB_RUNNING)
			continue;
		if (now >= job->deadline) {
			log_warn("worker: %s: judge still running after %lld ms, killing it",
			    job->id, (long long)job->watchdog_ms);
			worker_kill_child(job);
			worker_finish_attempt(w, job, "judge killed by the worker's watchdog");
			continue;
		}
		/* A judge that keeps its box says it is done without closing. */
		if (worker_final(w, job, &len)) {
			worker_hand_off(w, job, len);
			continue;
		}
		if (job->out_fd >= 0)
			continue;
		/*
		 * EOF seen: reap only once the child has exited, so that
		 * pipeline_wait never blocks the loop. ECHILD means
		 * libpipeline's SIGCHLD handler reaped it already.
		 */
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, job->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
		    si.si_pid != job->pid)
			continue;
		worker_finish_attempt(w, job, NULL);
	}
	reap_poll(w->reap);
}

/* Starts due retries first (they are older), then queued submissions. */
static void
worker_dispatch(struct worker *w)
{
	struct worker_job *job;
	size_t running = worker_count(w, WORKER_MASK(WORKER_JOB_RUNNING));
	int64_t now = util_now_ms();
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (job = w->jobs; job != NULL && running < (size_t)conf.max_parallel;
		    job = job->next) {
			if (pass == 0 && (job->state != WORKER_JOB_BACKOFF || job->retry_at > now))
				continue;
			if (pass == 1 && job->state != WORKER_JOB_QUEUED)
				continue;
			if (worker_start_child(w, job) == 0) {
				running++;
				continue;
			}
			/* Could not even start: counts as a failed attempt. */
			job->attempts++;
			log_warn("worker: %s: cannot start the judge: %s", job->id, job->last_why);
			monitor_infra_failure(w->mon);
			if (job->attempts <= conf.infra_retries) {
				job->retry_at = now + WORKER_BACKOFF_MS;
				job->state = WORKER_JOB_BACKOFF;
				w->retries++;
				monitor_retry(w->mon);
			} else
				worker_publish_ie(w, job, "cannot start the judge: %s",
				    job->last_why);
		}
}

/* A consumed record: `done`, a bad record (answered IE at once) or a job. */
static void
worker_accept(struct worker *w, rd_kafka_message_t *m)
{
	struct worker_job *job, **tail;
	struct request req;
	char why[1024];
	int rc;
	rd_kafka_timestamp_type_t tstype;

	if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
			log_warn("kafka: consumer: %s", rd_kafka_message_errstr(m));
		return;
	}
	if (w->stop != WORKER_RUN)
		return;	/* untracked: its offset is never stored */

	job = xcalloc(1, sizeof *job);
	job->in_fd = job->out_fd = -1;
	buf_init(&job->out);
	job->mark = kafka_track(w->k, m);
	job->topic = xstrdup(rd_kafka_topic_name(m->rkt));
	job->partition = m->partition;
	job->offset = m->offset;
	job->received_ms = util_now_ms();
	job->record_ts = rd_kafka_message_timestamp(m, &tstype);
	if (tstype == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || job->record_ts <= 0)
		job->record_ts = -1;
	if (m->key != NULL && m->key_len > 0)
		job->fallback_id = xmemdup(m->key, m->key_len);
	else
		job->fallback_id = xasprintf("%s:%d:%lld", job->topic, (int)m->partition,
		    (long long)m->offset);

	memset(&req, 0, sizeof req);
	rc = request_parse(m->payload != NULL ? m->payload : "", m->len, job->fallback_id,
	    &req, why, sizeof why);
	job->id = xstrdup(req.id != NULL ? req.id : job->fallback_id);
	if (rc == 0 && req.type == REQUEST_DONE) {
		log_info("worker: `done` record at %s[%d]@%lld: finishing in-flight work",
		    job->topic, (int)job->partition, (long long)job->offset);
		kafka_done(w->k, job->mark);
		worker_job_free(job);
		request_free(&req);
		w->stop = WORKER_STOP_DONE;
		return;
	}

	for (tail = &w->jobs; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = job;
	if (rc != 0) {
		job->language = xstrdup(req.language != NULL ? req.language : "?");
		log_warn("worker: bad record %s at %s[%d]@%lld: %s", job->id, job->topic,
		    (int)job->partition, (long long)job->offset, why);
		worker_publish_ie(w, job, "%s", why);
		request_free(&req);
		return;
	}
	job->language = xstrdup(req.language != NULL ? req.language : "?");
	job->value = xmemdup(m->payload, m->len);
	job->value_len = m->len;
	job->watchdog_ms = worker_watchdog_ms(req.time_limit_ms, req.wall_time_limit_ms,
	    req.ntests);
	job->state = WORKER_JOB_QUEUED;
	request_free(&req);
}

int64_t
worker_watchdog_ms(int64_t time_limit_ms, int64_t wall_time_limit_ms, size_t ntests)
{
	int64_t time_ms, wall, tests;

	/*
	 * The judge's own limits (judge_limits) first: the request's numbers
	 * are untrusted, so they are clamped to the ceilings before any
	 * arithmetic, and every step saturates (the ceilings themselves may
	 * be configured as large as INT64_MAX).
	 */
	time_ms = time_limit_ms > 0 ? time_limit_ms : conf.default_time_ms;
	if (time_ms > conf.max_time_ms)
		time_ms = conf.max_time_ms;
	wall = wall_time_limit_ms > 0 ? wall_time_limit_ms :
	    util_add_sat(util_mul_sat(2, time_ms), 1000);
	if (wall > conf.max_wall_ms)
		wall = conf.max_wall_ms;
	/* Generous: the build and start-up count as two more tests. */
	tests = ntests > (size_t)(INT64_MAX - 2) ? INT64_MAX : (int64_t)ntests + 2;
	return util_add_sat(WORKER_WATCHDOG_BASE_MS,
	    util_mul_sat(tests, util_add_sat(wall, WORKER_WATCHDOG_SLACK_MS)));
}

/* Pulls a short quoted or numeric top-level-looking field out of a result
 * line, for the log only. */
static void
worker_field(const char *json, const char *key, char *out, size_t size)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(out, size, "?");
	snprintf(pat, sizeof pat, "\"%s\":", key);
	if (json == NULL || (p = strstr(json, pat)) == NULL)
		return;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if (*p == '"')
		p++;
	while (p[n] != '\0' && p[n] != '"' && p[n] != ',' && p[n] != '}' && n + 1 < size)
		n++;
	memcpy(out, p, n);
	out[n] = '\0';
}

static void
worker_delivered(void *opaque, rd_kafka_resp_err_t err, const char *errstr, void *arg)
{
	struct worker *w = arg;
	struct worker_job *job = opaque;
	char status[16], cpu[32], dur[32];
	int64_t queue_ms;

	job->queued = 0;
	if (err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ||
	    err == RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE ||
	    err == RD_KAFKA_RESP_ERR_INVALID_RECORD) {
		if (!job->resized && !w->closing) {
			/* Never drop the answer: say why it could not be given. */
			size_t had = job->result_len;

			job->resized = 1;
			log_warn("worker: %s: result refused (%s, %zu bytes); answering IE",
			    job->id, errstr, had);
			worker_publish_ie(w, job, "result record refused by the broker (%s, "
			    "%zu bytes)", errstr, had);
			return;
		}
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		log_error("worker: %s: result not delivered: %s", job->id, errstr);
		kafka_drop(w->k, job->mark);
		job->mark = NULL;
		worker_job_unlink(w, job);
		worker_job_free(job);
		return;
	}

	if (job->record_ts > 0)
		queue_ms = worker_wall_ms() - job->record_ts;
	else
		queue_ms = util_now_ms() - job->received_ms;
	worker_field(job->result, "status", status, sizeof status);
	worker_field(job->result, "cpu_time_ms", cpu, sizeof cpu);
	worker_field(job->result, "duration_ms", dur, sizeof dur);
	log_info("judged id=%s lang=%s status=%s cpu_ms=%s wall_ms=%s queue_to_result_ms=%lld "
	    "attempts=%d at=%s[%d]@%lld", job->id, job->language, status, cpu, dur,
	    (long long)queue_ms, job->attempts, job->topic, (int)job->partition,
	    (long long)job->offset);
	monitor_judged(w->mon, job->language, status,
	    job->first_start_ms > 0 ? (double)(job->ready_ms - job->first_start_ms) / 1000.0 : -1,
	    (double)queue_ms / 1000.0);
	w->answered++;
	/* A record redelivered after a rebalance or outage counts once. */
	if (conf.script_expected > 0 && worker_seen_add(w, job))
		w->counted++;
	if (strcmp(status, "IE") == 0)
		w->answered_ie++;
	kafka_done(w->k, job->mark);
	job->mark = NULL;
	worker_job_unlink(w, job);
	worker_job_free(job);
}

/*
 * Partitions are leaving: queued and backing-off jobs of theirs are given
 * up at once; running and publishing ones get until the drain deadline to
 * finish (their offsets are then stored and committed before the revoke
 * completes); whatever is left is abandoned uncommitted.
 */
static void
worker_revoke(const rd_kafka_topic_partition_list_t *parts, int lost, void *arg)
{
	struct worker *w = arg;
	struct worker_job *job, *next;
	int64_t limit = conf.drain_timeout_ms < WORKER_REVOKE_MAX_MS ?
	    conf.drain_timeout_ms : WORKER_REVOKE_MAX_MS;
	int64_t deadline = util_now_ms() + limit;
	size_t busy;

	for (job = w->jobs; job != NULL; job = next) {
		next = job->next;
		if (kafka_partition_in(parts, job->topic, job->partition) &&
		    (lost || w->closing || job->state == WORKER_JOB_QUEUED ||
		    job->state == WORKER_JOB_BACKOFF))
			worker_abandon(w, job, lost ? "partition lost" : "partition revoked");
	}
	for (;;) {
		busy = 0;
		for (job = w->jobs; job != NULL; job = job->next)
			if (job->mark != NULL &&
			    kafka_partition_in(parts, job->topic, job->partition) &&
			    (job->state == WORKER_JOB_RUNNING ||
			    job->state == WORKER_JOB_PUBLISHING))
				busy++;
		if (busy == 0 || util_now_ms() >= deadline || worker_signals >= 2 ||
		    w->stop == WORKER_STOP_FATAL)
			break;
		kafka_serve(w->k);
		worker_io(w, WORKER_TICK_MS);
		/* A failed attempt of a leaving partition is not retried here. */
		for (job = w->jobs; job != NULL; job = next) {
			next = job->next;
			if (job->state == WORKER_JOB_BACKOFF &&
			    kafka_partition_in(parts, job->topic, job->partition))
				worker_abandon(w, job, "partition revoked");
		}
	}
	for (job = w->jobs; job != NULL; job = next) {
		next = job->next;
		if (job->mark != NULL && kafka_partition_in(parts, job->topic, job->partition))
			worker_abandon(w, job, "partition revoked before it was answered");
	}
}

static void
worker_assigned(const rd_kafka_topic_partition_list_t *parts, void *arg)
{
	struct worker *w = arg;

	(void)parts;
	w->pause_dirty = 1;	/* kafka.c starts new partitions unpaused */
}

/*
 * Remembers which records (topic, partition, offset) were answered; 1 when
 * this one is new. Only kept with SCRIPT_EXPECTED, so it stays bounded.
 */
static int
worker_seen_add(struct worker *w, const struct worker_job *job)
{
	uint64_t h = 1469598103934665603ULL, *old;
	size_t i, oldcap;
	const char *c;

	for (c = job->topic; *c != '\0'; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	h = (h ^ (uint64_t)(uint32_t)job->partition) * 1099511628211ULL;
	h = (h ^ (uint64_t)job->offset) * 1099511628211ULL;
	h |= 1;	/* 0 marks an empty slot */
	if (2 * (w->counted + 1) > w->seen_cap) {
		old = w->seen;
		oldcap = w->seen_cap;
		w->seen_cap = oldcap ? 2 * oldcap : 1024;
		w->seen = xcalloc(w->seen_cap, sizeof *w->seen);
		for (i = 0; i < oldcap; i++) {
			size_t j;

			if (old[i] == 0)
				continue;
			for (j = old[i] % w->seen_cap; w->seen[j] != 0; j = (j + 1) % w->seen_cap)
				;
			w->seen[j] = old[i];
		}
		free(old);
	}
	for (i = h % w->seen_cap; w->seen[i] != 0; i = (i + 1) % w->seen_cap)
		if (w->seen[i] == h)
			return 0;
	w->seen[i] = h;
	return 1;
}

/*
 * With SCRIPT_EXPECTED: true while what is answered plus what is in hand
 * covers it, so no more is consumed. Counting distinct answers (not records
 * taken) keeps a redelivered record from using up the quota.
 */
static int
worker_enough(struct worker *w)
{
	return conf.script_expected > 0 &&
	    w->counted + worker_count(w, WORKER_ALL) >= (uint64_t)conf.script_expected;
}

static void
worker_stats(struct worker *w, int force)
{
	int64_t now = util_now_ms(), span;
	uint64_t delta;

	if (!force && (conf.stats_interval_ms <= 0 || now - w->stats_at < conf.stats_interval_ms))
		return;
	span = now - w->stats_at > 0 ? now - w->stats_at : 1;
	delta = w->answered - w->stats_answered;
	log_info("stats: judged=%llu (+%llu, %.1f/min) ie=%llu retries=%llu running=%zu "
	    "queued=%zu backoff=%zu publishing=%zu uptime=%llds",
	    (unsigned long long)w->answered, (unsigned long long)delta,
	    (double)delta * 60000.0 / (double)span, (unsigned long long)w->answered_ie,
	    (unsigned long long)w->retries,
	    worker_count(w, WORKER_MASK(WORKER_JOB_RUNNING)),
	    worker_count(w, WORKER_MASK(WORKER_JOB_QUEUED)),
	    worker_count(w, WORKER_MASK(WORKER_JOB_BACKOFF)),
	    worker_count(w, WORKER_MASK(WORKER_JOB_PUBLISHING)),
	    (long long)((now - w->started_ms) / 1000));
	w->stats_at = now;
	w->stats_answered = w->answered;
}

/* Second signal: no draining, no committing; what is unanswered is redone. */
static void
worker_force_exit(struct worker *w)
{
	struct worker_job *job;
	int sig = worker_last_signal;

	for (job = w->jobs; job != NULL; job = job->next)
		if (job->pl != NULL) {
			if (kill(-job->pid, SIGKILL) != 0)
				kill(job->pid, SIGKILL);
		}
	spare_kill_all(w->spares);
	reap_kill_all(w->reap);
	log_warn("worker: second signal (%d): killed the judges, exiting now; "
	    "uncommitted submissions will be judged again", sig);
	fflush(NULL);
	_exit(128 + sig);
}

int
worker_main(void)
{
	struct worker wk, *w = &wk;
	struct kafka_callbacks cb;
	struct sigaction sa;
	struct worker_job *job, *next;
	rd_kafka_message_t *m;
	char why[512];
	size_t active;
	int want_pause, rc = 0, stop_logged = 0;

	memset(w, 0, sizeof *w);
	w->tally_fd = -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = worker_on_signal;	/* no SA_RESTART: poll() wakes up */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a dead child's stdin gives EPIPE */

	w->self = worker_self();
	if (w->self == NULL) {
		log_error("worker: cannot find my own executable: %s", strerror(errno));
		return 1;
	}
	w->name = conf.worker_name != NULL && *conf.worker_name != '\0' ?
	    xstrdup(conf.worker_name) : worker_default_name();
	/* Children judge with exactly our settings and report our name. */
	conf_export();
	setenv("SCRC_WORKER_NAME", w->name, 1);
	/* Asked once here rather than by every judge (a CLI call each). */
	setenv(DOCKER_FLAVOUR_ENV, docker_flavour_name(), 1);
	/* Their CLI calls and ours share one gate (SCRC_DOCKER_CALLS). */
	cligate_export();

	cb.delivered = worker_delivered;
	cb.revoke = worker_revoke;
	cb.assigned = worker_assigned;
	cb.arg = w;
	w->k = kafka_open(&cb, why, sizeof why);
	if (w->k == NULL) {
		log_error("worker: %s", why);
		free(w->name);
		return 1;
	}
	if (conf.metrics_listen != NULL && *conf.metrics_listen != '\0') {
		w->mon = monitor_open(conf.metrics_listen, w->k, conf.max_parallel, why,
		    sizeof why);
		if (w->mon == NULL) {
			log_error("worker: SCRC_METRICS_LISTEN=%s: %s", conf.metrics_listen, why);
			kafka_close(w->k, 0);
			free(w->name);
			return 1;
		}
		w->tally_fd = monitor_tally_fd(w->mon);
	}
	w->reap = reap_new();
	w->spares = spare_new(conf.warm_judges, conf.box_reuse > 1 ? conf.max_parallel : 0,
	    worker_spawn_spare, w, w->reap);
	w->started_ms = w->stats_at = util_now_ms();
	log_info("worker %s starting: brokers=%s topic=%s results=%s group=%s parallel=%lld "
	    "expected=%lld retries=%lld drain=%lldms judge=%s", w->name,
	    kafka_bootstrap(w->k), conf.topic, conf.results_topic, conf.group_id,
	    (long long)conf.max_parallel, (long long)conf.script_expected,
	    (long long)conf.infra_retries, (long long)conf.drain_timeout_ms, w->self);

	for (;;) {
		if (worker_signals >= 2)
			worker_force_exit(w);
		if (worker_signals == 1 && w->stop == WORKER_RUN) {
			w->stop = WORKER_STOP_SIGNAL;
			w->drain_deadline = util_add_sat(util_now_ms(), conf.drain_timeout_ms);
			log_info("worker: signal %d: no new submissions; draining %zu in flight "
			    "(up to %lld ms)", (int)worker_last_signal,
			    worker_count(w, WORKER_ALL), (long long)conf.drain_timeout_ms);
			stop_logged = 1;
		}
		if (w->stop != WORKER_STOP_FATAL && kafka_fatal(w->k, why, sizeof why)) {
			log_error("worker: fatal kafka error, shutting down: %s", why);
			w->stop = WORKER_STOP_FATAL;
			rc = 1;
			for (job = w->jobs; job != NULL; job = next) {
				next = job->next;
				worker_abandon(w, job, "fatal kafka error");
			}
		}
		if (w->stop == WORKER_STOP_DONE && !stop_logged) {
			log_info("worker: stopping after `done`: %zu in flight",
			    worker_count(w, WORKER_ALL));
			stop_logged = 1;
		}

		kafka_serve(w->k);
		for (job = w->jobs; job != NULL; job = job->next)
			if (job->state == WORKER_JOB_PUBLISHING && !job->queued)
				worker_try_produce(w, job);

		/*
		 * Take records while there is a free slot or room ahead; poll
		 * once even when full (rebalances, max.poll.interval.ms). A
		 * record that still arrives while paused is kept, never lost.
		 */
		for (;;) {
			active = worker_count(w, WORKER_ACTIVE);
			m = kafka_consume(w->k, 0);
			if (m == NULL)
				break;
			worker_accept(w, m);
			rd_kafka_message_destroy(m);
			if (w->stop != WORKER_RUN ||
			    active + 1 >= (size_t)conf.max_parallel + WORKER_AHEAD ||
			    worker_enough(w))
				break;
		}
		active = worker_count(w, WORKER_ACTIVE);
		want_pause = w->stop != WORKER_RUN ||
		    active >= (size_t)conf.max_parallel + WORKER_AHEAD || worker_enough(w);
		/*
		 * A pause is also re-asserted every second (cheap), so that
		 * partitions that came and went in a rebalance always end up
		 * paused. A resume is only ever sent to paused partitions
		 * (new ones start unpaused): librdkafka 2.0 restarts the fetch
		 * of a running partition that is "resumed" at the offset it
		 * was assigned at, so every record since would be consumed
		 * again, once a second.
		 */
		if (!want_pause && !w->paused)
			w->pause_dirty = 0;
		if (want_pause != w->paused || (want_pause && (w->pause_dirty ||
		    util_now_ms() - w->pause_at >= 1000))) {
			if (kafka_pause(w->k, want_pause, why, sizeof why) != 0)
				log_warn("kafka: %s", why);
			else {
				if (want_pause != w->paused)
					log_debug("kafka: %s", want_pause ? "paused" : "resumed");
				w->paused = want_pause;
				w->pause_dirty = 0;
				w->pause_at = util_now_ms();
			}
		}

		worker_dispatch(w);
		spare_tick(w->spares, w->stop == WORKER_RUN, w->image_gen);
		worker_io(w, WORKER_TICK_MS);
		worker_stats(w, 0);
		monitor_tick(w->mon, worker_count(w, WORKER_ALL),
		    worker_count(w, WORKER_MASK(WORKER_JOB_RUNNING)), w->stop == WORKER_RUN);

		if (worker_count(w, WORKER_ALL) == 0) {
			if (w->stop != WORKER_RUN)
				break;
			if (conf.script_expected > 0 &&
			    w->counted >= (uint64_t)conf.script_expected) {
				log_info("worker: answered SCRIPT_EXPECTED=%lld submissions",
				    (long long)conf.script_expected);
				break;
			}
		}
		if (w->stop == WORKER_STOP_SIGNAL && util_now_ms() >= w->drain_deadline) {
			log_warn("worker: drain timeout: abandoning %zu submission(s)",
			    worker_count(w, WORKER_ALL));
			for (job = w->jobs; job != NULL; job = next) {
				next = job->next;
				worker_abandon(w, job, "drain timeout");
			}
			break;
		}
	}

	worker_stats(w, 1);
	/* Before the Kafka handles go: the server's threads use them. */
	monitor_close(w->mon);
	w->mon = NULL;
	w->closing = 1;
	if (w->stop != WORKER_STOP_FATAL && kafka_commit(w->k, why, sizeof why) != 0)
		log_warn("worker: final %s", why);
	kafka_close(w->k, w->stop == WORKER_STOP_FATAL ? 0 : WORKER_FLUSH_MS);
	/* Answered judges still removing boxes, and spares: none may outlive us. */
	spare_free(w->spares);
	w->spares = NULL;
	reap_free(w->reap, WORKER_REAP_MS);
	w->reap = NULL;
	cligate_remove();
	for (job = w->jobs; job != NULL; job = next) {
		next = job->next;
		worker_job_free(job);
	}
	log_info("worker %s stopped: judged=%llu ie=%llu", w->name,
	    (unsigned long long)w->answered, (unsigned long long)w->answered_ie);
	free(w->image_ids);
	free(w->name);
	free(w->seen);
	return rc;
}
