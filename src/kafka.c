/*
 * kafka.c - librdkafka plumbing: configuration of the consumer and the
 * idempotent producer, rebalance handling (EAGER and COOPERATIVE), delivery
 * reports with re-production on transient failure, in-order offset storing
 * per partition, and the embedded mock cluster.
 *
 * Commit strategy: enable.auto.commit=true with enable.auto.offset.store=
 * false. We decide *which* offset may be committed (kafka_done stores it
 * only when every earlier record of the partition is answered); librdkafka
 * decides *when* (every auto.commit.interval.ms, on revoke, on close) and
 * retries failed commits itself. Manual commits would give us nothing more
 * than the same offsets plus commit-result bookkeeping.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "conf.h"
#include "kafka.h"
#include "util.h"

/* Partitions of the mock topics: one keeps `done` behind everything before it. */
#define KAFKA_MOCK_PARTITIONS	1
/* Room for the key and the record/batch headers above the value. */
#define KAFKA_RECORD_OVERHEAD	65536

struct kafka_partition;

struct kafka_mark {
	int64_t			 offset;
	int			 done;
	int			 released;	/* the worker gave it back */
	struct kafka_partition	*part;		/* NULL: not listed (orphan) */
	struct kafka_mark	*next;
};

/* The marks of one assigned partition, oldest first. */
struct kafka_partition {
	char			*topic;
	int32_t			 partition;
	struct kafka_mark	*head;
	struct kafka_mark	*tail;
	struct kafka_partition	*next;
};

struct kafka {
	rd_kafka_t		*consumer;
	rd_kafka_t		*producer;
	rd_kafka_t		*mock_rk;	/* owner of the mock cluster */
	rd_kafka_mock_cluster_t	*mock;
	char			*bootstrap;
	struct kafka_callbacks	 cb;
	struct kafka_partition	*parts;
	size_t			 pending;
	int			 fatal;
	int			 wake[2];	/* readable when records wait: -1 none */
};

static struct kafka *kafka_open_blocked(const struct kafka_callbacks *cb, char *errstr,
	    size_t errstr_size);
static int	kafka_set(rd_kafka_conf_t *rc, const char *name, const char *value,
		    char *errstr, size_t errstr_size);
static void	kafka_log_cb(const rd_kafka_t *rk, int level, const char *fac,
		    const char *buf);
static void	kafka_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque);
static void	kafka_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque);
static void	kafka_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
		    rd_kafka_topic_partition_list_t *parts, void *opaque);
static rd_kafka_conf_t *kafka_base_conf(struct kafka *k);
static int	kafka_mock_start(struct kafka *k, char *errstr, size_t errstr_size);
static struct kafka_partition *kafka_part_find(struct kafka *k, const char *topic,
		    int32_t partition, int create);
static void	kafka_part_advance(struct kafka *k, struct kafka_partition *p);
static void	kafka_part_unlist(struct kafka *k, const char *topic, int32_t partition);
static void	kafka_mark_release(struct kafka *k, struct kafka_mark *mark);
static void	kafka_wake_open(struct kafka *k);

static int
kafka_set(rd_kafka_conf_t *rc, const char *name, const char *value, char *errstr,
    size_t errstr_size)
{
	char why[512];

	if (rd_kafka_conf_set(rc, name, value, why, sizeof why) != RD_KAFKA_CONF_OK) {
		util_seterr(errstr, errstr_size, "librdkafka %s=%s: %s", name, value, why);
		return -1;
	}
	return 0;
}

/* librdkafka logs from its own threads; syslog levels map onto ours. */
static void
kafka_log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	enum util_log_level l;

	if (level <= 3)
		l = UTIL_LOG_ERROR;
	else if (level == 4)
		l = UTIL_LOG_WARN;
	else if (level <= 6)
		l = UTIL_LOG_INFO;
	else
		l = UTIL_LOG_DEBUG;
	log_msg(l, "rdkafka %s: %s: %s", rd_kafka_name(rk), fac, buf);
}

static void
kafka_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct kafka *k = opaque;

	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		k->fatal = 1;
		log_error("kafka: fatal error (%s): %s", rd_kafka_name(rk), reason);
		return;
	}
	/* Transport errors are retried by librdkafka forever: only report. */
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		log_warn("kafka: all brokers down (%s): %s; still retrying",
		    rd_kafka_name(rk), reason);
	else
		log_warn("kafka: %s: %s", rd_kafka_err2name(err), reason);
}

/*
 * Delivery report. Transient failures are produced again from the report's
 * own copy of the record, so a result is never dropped; only permanent
 * refusals reach the worker.
 */
static void
kafka_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct kafka *k = opaque;
	rd_kafka_resp_err_t err = m->err, perr;

	if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		k->cb.delivered(m->_private, err, NULL, k->cb.arg);
		return;
	}
	if (k->fatal || err == RD_KAFKA_RESP_ERR__FATAL ||
	    err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ||
	    err == RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE ||
	    err == RD_KAFKA_RESP_ERR_INVALID_RECORD ||
	    err == RD_KAFKA_RESP_ERR__PURGE_QUEUE ||
	    err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) {
		k->cb.delivered(m->_private, err, rd_kafka_err2str(err), k->cb.arg);
		return;
	}
	log_warn("kafka: result delivery failed (%s), producing it again",
	    rd_kafka_err2str(err));
	perr = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(conf.results_topic),
	    RD_KAFKA_V_KEY(m->key, m->key_len), RD_KAFKA_V_VALUE(m->payload, m->len),
	    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(m->_private),
	    RD_KAFKA_V_END);
	if (perr != RD_KAFKA_RESP_ERR_NO_ERROR)
		k->cb.delivered(m->_private, perr, rd_kafka_err2str(perr), k->cb.arg);
}

static void
kafka_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct kafka *k = opaque;
	int coop = strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
	rd_kafka_error_t *error = NULL;
	rd_kafka_resp_err_t aerr = RD_KAFKA_RESP_ERR_NO_ERROR;
	char why[256];
	int i, lost;

	switch (err) {
	case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
		log_info("kafka: assigned %d partition(s) (%s)", parts->cnt,
		    coop ? "cooperative" : "eager");
		/*
		 * librdkafka keeps a partition's pause flag after a revoke: a
		 * partition this consumer paused, handed away and gets back
		 * would stay paused for good if the worker is not pausing at
		 * that moment (it only resumes what it paused itself). So every
		 * assigned partition starts unpaused; the worker re-pauses it
		 * if it is busy. Resuming before the assignment leaves the
		 * fetch start (a newer op on the partition) untouched.
		 */
		(void)rd_kafka_resume_partitions(rk, parts);
		if (coop)
			error = rd_kafka_incremental_assign(rk, parts);
		else
			aerr = rd_kafka_assign(rk, parts);
		if (k->cb.assigned != NULL)
			k->cb.assigned(parts, k->cb.arg);
		break;
	case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
		lost = rd_kafka_assignment_lost(rk);
		log_info("kafka: %s %d partition(s) (%s)", lost ? "lost" : "revoking",
		    parts->cnt, coop ? "cooperative" : "eager");
		/* The worker finishes or abandons the partitions' jobs now. */
		if (k->cb.revoke != NULL)
			k->cb.revoke(parts, lost, k->cb.arg);
		if (!lost && kafka_commit(k, why, sizeof why) != 0)
			log_warn("kafka: commit before revoke failed: %s", why);
		for (i = 0; i < parts->cnt; i++)
			kafka_part_unlist(k, parts->elems[i].topic, parts->elems[i].partition);
		if (coop)
			error = rd_kafka_incremental_unassign(rk, parts);
		else
			aerr = rd_kafka_assign(rk, NULL);
		break;
	default:
		log_error("kafka: rebalance error: %s", rd_kafka_err2str(err));
		if (k->cb.revoke != NULL)
			k->cb.revoke(parts, 1, k->cb.arg);
		for (i = 0; i < parts->cnt; i++)
			kafka_part_unlist(k, parts->elems[i].topic, parts->elems[i].partition);
		aerr = rd_kafka_assign(rk, NULL);
		break;
	}
	if (error != NULL) {
		log_error("kafka: incremental (un)assign: %s", rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
	}
	if (aerr != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_error("kafka: assign: %s", rd_kafka_err2str(aerr));
}

static rd_kafka_conf_t *
kafka_base_conf(struct kafka *k)
{
	rd_kafka_conf_t *rc = rd_kafka_conf_new();
	const char *debug = getenv("SCRC_KAFKA_DEBUG");
	char why[256];

	/* librdkafka's own debug contexts (e.g. "consumer,fetch"), for operators. */
	if (debug != NULL && *debug != '\0' &&
	    rd_kafka_conf_set(rc, "debug", debug, why, sizeof why) != RD_KAFKA_CONF_OK)
		log_warn("kafka: SCRC_KAFKA_DEBUG=%s: %s", debug, why);
	rd_kafka_conf_set_opaque(rc, k);
	rd_kafka_conf_set_log_cb(rc, kafka_log_cb);
	rd_kafka_conf_set_error_cb(rc, kafka_error_cb);
	return rc;
}

/* The mock cluster lives on a handle of its own, kept until kafka_close. */
static int
kafka_mock_start(struct kafka *k, char *errstr, size_t errstr_size)
{
	rd_kafka_conf_t *rc = kafka_base_conf(k);
	rd_kafka_resp_err_t err;
	char why[512];

	if (kafka_set(rc, "client.id", "scrc-mock", errstr, errstr_size) != 0) {
		rd_kafka_conf_destroy(rc);
		return -1;
	}
	k->mock_rk = rd_kafka_new(RD_KAFKA_PRODUCER, rc, why, sizeof why);
	if (k->mock_rk == NULL) {
		rd_kafka_conf_destroy(rc);
		util_seterr(errstr, errstr_size, "mock cluster handle: %s", why);
		return -1;
	}
	k->mock = rd_kafka_mock_cluster_new(k->mock_rk, 1);
	if (k->mock == NULL) {
		util_seterr(errstr, errstr_size, "cannot start the embedded kafka cluster");
		return -1;
	}
	err = rd_kafka_mock_topic_create(k->mock, conf.topic, KAFKA_MOCK_PARTITIONS, 1);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		err = rd_kafka_mock_topic_create(k->mock, conf.results_topic,
		    KAFKA_MOCK_PARTITIONS, 1);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		util_seterr(errstr, errstr_size, "embedded kafka: creating topics: %s",
		    rd_kafka_err2str(err));
		return -1;
	}
	k->bootstrap = xstrdup(rd_kafka_mock_cluster_bootstraps(k->mock));
	/* On both streams: scripts read stdout, people read stderr. */
	fprintf(stderr, "scrc: embedded kafka bootstrap: %s\n", k->bootstrap);
	fflush(stderr);
	printf("scrc: embedded kafka bootstrap: %s\n", k->bootstrap);
	fflush(stdout);
	return 0;
}

/*
 * librdkafka's threads (and the mock cluster's) inherit the signal mask of
 * the thread that creates them. Created with every catchable signal
 * blocked, they never take the worker's SIGTERM or libpipeline's SIGCHLD:
 * a signal delivered there interrupted the mock cluster's poll() and
 * stopped the embedded broker. The main thread keeps its own mask.
 */
struct kafka *
kafka_open(const struct kafka_callbacks *cb, char *errstr, size_t errstr_size)
{
	sigset_t all, old;
	struct kafka *k;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	k = kafka_open_blocked(cb, errstr, errstr_size);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return k;
}

static struct kafka *
kafka_open_blocked(const struct kafka_callbacks *cb, char *errstr, size_t errstr_size)
{
	struct kafka *k = xcalloc(1, sizeof *k);
	rd_kafka_conf_t *pc = NULL, *cc = NULL;
	rd_kafka_topic_partition_list_t *topics;
	rd_kafka_resp_err_t err;
	const char *strategy;
	char why[512], num[32];
	int64_t max_bytes;

	k->cb = *cb;
	k->wake[0] = k->wake[1] = -1;
	if (conf.embedded_kafka) {
		if (kafka_mock_start(k, errstr, errstr_size) != 0)
			goto fail;
	} else
		k->bootstrap = xstrdup(conf.brokers);

	/*
	 * Producer: idempotent (no duplicates or reordering from its own
	 * retries), and results wait in the queue for as long as the broker
	 * is away (message.timeout.ms=0 means forever).
	 */
	pc = kafka_base_conf(k);
	max_bytes = conf.max_message_bytes + KAFKA_RECORD_OVERHEAD;
	if (max_bytes > 1000000000)
		max_bytes = 1000000000;
	snprintf(num, sizeof num, "%lld", (long long)max_bytes);
	rd_kafka_conf_set_dr_msg_cb(pc, kafka_dr_cb);
	if (kafka_set(pc, "bootstrap.servers", k->bootstrap, errstr, errstr_size) != 0 ||
	    kafka_set(pc, "client.id", "scrc-producer", errstr, errstr_size) != 0 ||
	    kafka_set(pc, "enable.idempotence", "true", errstr, errstr_size) != 0 ||
	    kafka_set(pc, "message.timeout.ms", "0", errstr, errstr_size) != 0 ||
	    kafka_set(pc, "linger.ms", "5", errstr, errstr_size) != 0 ||
	    kafka_set(pc, "message.max.bytes", num, errstr, errstr_size) != 0)
		goto fail;
	k->producer = rd_kafka_new(RD_KAFKA_PRODUCER, pc, why, sizeof why);
	if (k->producer == NULL) {
		util_seterr(errstr, errstr_size, "kafka producer: %s", why);
		goto fail;
	}
	pc = NULL;

	/*
	 * Consumer: offsets are stored by kafka_done only; librdkafka commits
	 * what is stored. A dead worker is noticed within session.timeout.ms.
	 */
	cc = kafka_base_conf(k);
	strategy = getenv("SCRC_KAFKA_ASSIGNMENT_STRATEGY");
	if (strategy == NULL || *strategy == '\0')
		strategy = "cooperative-sticky";
	rd_kafka_conf_set_rebalance_cb(cc, kafka_rebalance_cb);
	if (kafka_set(cc, "bootstrap.servers", k->bootstrap, errstr, errstr_size) != 0 ||
	    kafka_set(cc, "client.id", "scrc-consumer", errstr, errstr_size) != 0 ||
	    kafka_set(cc, "group.id", conf.group_id, errstr, errstr_size) != 0 ||
	    kafka_set(cc, "enable.auto.commit", "true", errstr, errstr_size) != 0 ||
	    kafka_set(cc, "enable.auto.offset.store", "false", errstr, errstr_size) != 0 ||
	    kafka_set(cc, "auto.commit.interval.ms", "1000", errstr, errstr_size) != 0 ||
	    kafka_set(cc, "auto.offset.reset", "earliest", errstr, errstr_size) != 0 ||
	    kafka_set(cc, "session.timeout.ms", "10000", errstr, errstr_size) != 0 ||
	    kafka_set(cc, "heartbeat.interval.ms", "2000", errstr, errstr_size) != 0 ||
	    kafka_set(cc, "partition.assignment.strategy", strategy, errstr,
		errstr_size) != 0)
		goto fail;
	k->consumer = rd_kafka_new(RD_KAFKA_CONSUMER, cc, why, sizeof why);
	if (k->consumer == NULL) {
		util_seterr(errstr, errstr_size, "kafka consumer: %s", why);
		goto fail;
	}
	cc = NULL;
	rd_kafka_poll_set_consumer(k->consumer);
	kafka_wake_open(k);

	topics = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(topics, conf.topic, RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(k->consumer, topics);
	rd_kafka_topic_partition_list_destroy(topics);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		util_seterr(errstr, errstr_size, "kafka subscribe %s: %s", conf.topic,
		    rd_kafka_err2str(err));
		goto fail;
	}
	return k;
fail:
	if (pc != NULL)
		rd_kafka_conf_destroy(pc);
	if (cc != NULL)
		rd_kafka_conf_destroy(cc);
	kafka_close(k, 0);
	return NULL;
}

const char *
kafka_bootstrap(const struct kafka *k)
{
	return k->bootstrap;
}

rd_kafka_message_t *
kafka_consume(struct kafka *k, int timeout_ms)
{
	return rd_kafka_consumer_poll(k->consumer, timeout_ms);
}

void
kafka_serve(struct kafka *k)
{
	rd_kafka_poll(k->producer, 0);
}

/*
 * A pipe librdkafka writes a byte to when the consumer queue gets an event
 * while empty, so that a caller sleeping in poll() wakes for a record at
 * once instead of at its next tick. Without it (no pipe), the tick alone.
 */
static void
kafka_wake_open(struct kafka *k)
{
	rd_kafka_queue_t *q;

	k->wake[0] = k->wake[1] = -1;
	if (pipe2(k->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
		log_warn("kafka: wake-up pipe: %s (records wait for the next tick)",
		    strerror(errno));
		k->wake[0] = k->wake[1] = -1;
		return;
	}
	q = rd_kafka_queue_get_consumer(k->consumer);
	rd_kafka_queue_io_event_enable(q, k->wake[1], "r", 1);
	rd_kafka_queue_destroy(q);
}

int
kafka_wake_fd(struct kafka *k)
{
	char buf[256];

	if (k->wake[0] >= 0)
		while (read(k->wake[0], buf, sizeof buf) > 0)
			;
	return k->wake[0];
}

static struct kafka_partition *
kafka_part_find(struct kafka *k, const char *topic, int32_t partition, int create)
{
	struct kafka_partition *p;

	for (p = k->parts; p != NULL; p = p->next)
		if (p->partition == partition && strcmp(p->topic, topic) == 0)
			return p;
	if (!create)
		return NULL;
	p = xcalloc(1, sizeof *p);
	p->topic = xstrdup(topic);
	p->partition = partition;
	p->next = k->parts;
	k->parts = p;
	return p;
}

struct kafka_mark *
kafka_track(struct kafka *k, const rd_kafka_message_t *m)
{
	struct kafka_partition *p;
	struct kafka_mark *mark = xcalloc(1, sizeof *mark);

	p = kafka_part_find(k, rd_kafka_topic_name(m->rkt), m->partition, 1);
	mark->offset = m->offset;
	mark->part = p;
	if (p->tail != NULL)
		p->tail->next = mark;
	else
		p->head = mark;
	p->tail = mark;
	k->pending++;
	return mark;
}

/* Pops the done prefix of the partition and stores the offset after it. */
static void
kafka_part_advance(struct kafka *k, struct kafka_partition *p)
{
	rd_kafka_topic_partition_list_t *list;
	rd_kafka_resp_err_t err;
	struct kafka_mark *mark;
	int64_t next = -1;

	while ((mark = p->head) != NULL && mark->done) {
		next = mark->offset + 1;
		p->head = mark->next;
		if (p->head == NULL)
			p->tail = NULL;
		mark->part = NULL;
		free(mark);	/* done implies released */
	}
	if (next < 0)
		return;
	list = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(list, p->topic, p->partition)->offset = next;
	err = rd_kafka_offsets_store(k->consumer, list);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		err = list->elems[0].err;
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		log_warn("kafka: cannot store offset %s[%d]@%lld: %s", p->topic,
		    (int)p->partition, (long long)next, rd_kafka_err2str(err));
	else
		log_debug("kafka: stored offset %s[%d]@%lld", p->topic, (int)p->partition,
		    (long long)next);
	rd_kafka_topic_partition_list_destroy(list);
}

/* The partition is no longer ours: its marks become orphans. */
static void
kafka_part_unlist(struct kafka *k, const char *topic, int32_t partition)
{
	struct kafka_partition *p = kafka_part_find(k, topic, partition, 0), **pp;
	struct kafka_mark *mark, *next;

	if (p == NULL)
		return;
	for (mark = p->head; mark != NULL; mark = next) {
		next = mark->next;
		mark->part = NULL;
		mark->next = NULL;
		if (mark->released)
			free(mark);
	}
	for (pp = &k->parts; *pp != p; pp = &(*pp)->next)
		;
	*pp = p->next;
	free(p->topic);
	free(p);
}

static void
kafka_mark_release(struct kafka *k, struct kafka_mark *mark)
{
	mark->released = 1;
	if (k->pending > 0)
		k->pending--;
	if (mark->part == NULL)
		free(mark);
}

void
kafka_done(struct kafka *k, struct kafka_mark *mark)
{
	struct kafka_partition *p;

	if (mark == NULL)
		return;
	mark->done = 1;
	p = mark->part;
	kafka_mark_release(k, mark);
	if (p != NULL)
		kafka_part_advance(k, p);
}

void
kafka_drop(struct kafka *k, struct kafka_mark *mark)
{
	if (mark != NULL)
		kafka_mark_release(k, mark);
}

size_t
kafka_pending(const struct kafka *k)
{
	return k->pending;
}

int
kafka_produce(struct kafka *k, const char *key, const char *value, size_t value_len,
    void *opaque, char *errstr, size_t errstr_size)
{
	rd_kafka_resp_err_t err;

	err = rd_kafka_producev(k->producer, RD_KAFKA_V_TOPIC(conf.results_topic),
	    RD_KAFKA_V_KEY(key, strlen(key)), RD_KAFKA_V_VALUE((void *)value, value_len),
	    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(opaque),
	    RD_KAFKA_V_END);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		util_seterr(errstr, errstr_size, "producing to %s: %s", conf.results_topic,
		    rd_kafka_err2str(err));
		return -1;
	}
	return 0;
}

int
kafka_pause(struct kafka *k, int pause, char *errstr, size_t errstr_size)
{
	rd_kafka_topic_partition_list_t *parts = NULL;
	rd_kafka_resp_err_t err;

	err = rd_kafka_assignment(k->consumer, &parts);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR && parts->cnt > 0)
		err = pause ? rd_kafka_pause_partitions(k->consumer, parts) :
		    rd_kafka_resume_partitions(k->consumer, parts);
	if (parts != NULL)
		rd_kafka_topic_partition_list_destroy(parts);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		util_seterr(errstr, errstr_size, "%s: %s", pause ? "pause" : "resume",
		    rd_kafka_err2str(err));
		return -1;
	}
	return 0;
}

int
kafka_fatal(struct kafka *k, char *errstr, size_t errstr_size)
{
	char why[512] = "";
	rd_kafka_resp_err_t err;

	err = rd_kafka_fatal_error(k->producer, why, sizeof why);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		err = rd_kafka_fatal_error(k->consumer, why, sizeof why);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR && !k->fatal)
		return 0;
	k->fatal = 1;
	util_seterr(errstr, errstr_size, "%s: %s", rd_kafka_err2name(err),
	    *why ? why : "fatal error");
	return 1;
}

int
kafka_partition_in(const rd_kafka_topic_partition_list_t *parts, const char *topic,
    int32_t partition)
{
	int i;

	for (i = 0; i < parts->cnt; i++)
		if (parts->elems[i].partition == partition &&
		    strcmp(parts->elems[i].topic, topic) == 0)
			return 1;
	return 0;
}

int
kafka_commit(struct kafka *k, char *errstr, size_t errstr_size)
{
	rd_kafka_resp_err_t err = rd_kafka_commit(k->consumer, NULL, 0);

	if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
		util_seterr(errstr, errstr_size, "commit: %s", rd_kafka_err2str(err));
		return -1;
	}
	return 0;
}

void
kafka_close(struct kafka *k, int flush_ms)
{
	struct kafka_partition *p;
	rd_kafka_resp_err_t err;

	if (k == NULL)
		return;
	if (k->consumer != NULL) {
		err = rd_kafka_consumer_close(k->consumer);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
			log_warn("kafka: consumer close: %s", rd_kafka_err2str(err));
		rd_kafka_destroy(k->consumer);
	}
	/* After the consumer: its queue writes to the pipe until destroyed. */
	if (k->wake[0] >= 0) {
		close(k->wake[0]);
		close(k->wake[1]);
		k->wake[0] = k->wake[1] = -1;
	}
	while ((p = k->parts) != NULL)
		kafka_part_unlist(k, p->topic, p->partition);
	if (k->producer != NULL) {
		if (rd_kafka_flush(k->producer, flush_ms) != RD_KAFKA_RESP_ERR_NO_ERROR) {
			log_warn("kafka: %d result(s) still unacknowledged at exit; their "
			    "submissions stay uncommitted and will be judged again",
			    rd_kafka_outq_len(k->producer));
			rd_kafka_purge(k->producer, RD_KAFKA_PURGE_F_QUEUE |
			    RD_KAFKA_PURGE_F_INFLIGHT);
			/* Serves the purged records' reports to the worker. */
			rd_kafka_flush(k->producer, 1000);
		}
		rd_kafka_destroy(k->producer);
	}
	if (k->mock != NULL)
		rd_kafka_mock_cluster_destroy(k->mock);
	if (k->mock_rk != NULL)
		rd_kafka_destroy(k->mock_rk);
	free(k->bootstrap);
	free(k);
}

int
kafka_probe(struct kafka *k, int timeout_ms, char *errstr, size_t errstr_size)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t err;

	/* The producer's handle: results are what must reach the cluster. */
	err = rd_kafka_metadata(k->producer, 0, NULL, &md, timeout_ms);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		util_seterr(errstr, errstr_size, "no broker answers a metadata request within "
		    "%d ms (%s)", timeout_ms, rd_kafka_err2str(err));
		return -1;
	}
	rd_kafka_metadata_destroy(md);
	return 0;
}

int
kafka_lag(struct kafka *k, int timeout_ms, kafka_lag_cb *cb, void *arg, char *errstr,
    size_t errstr_size)
{
	rd_kafka_topic_partition_list_t *parts = NULL;
	rd_kafka_resp_err_t err;
	int64_t lo, hi, lag;
	int i, rc = 0;

	err = rd_kafka_assignment(k->consumer, &parts);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR && parts->cnt > 0)
		err = rd_kafka_committed(k->consumer, parts, timeout_ms);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		util_seterr(errstr, errstr_size, "committed offsets: %s", rd_kafka_err2str(err));
		if (parts != NULL)
			rd_kafka_topic_partition_list_destroy(parts);
		return -1;
	}
	for (i = 0; i < parts->cnt; i++) {
		rd_kafka_topic_partition_t *p = &parts->elems[i];

		/*
		 * Through the producer: on the consumer's connection the request
		 * queues behind the fetch long-poll (up to fetch.wait.max.ms each).
		 */
		err = rd_kafka_query_watermark_offsets(k->producer, p->topic, p->partition, &lo,
		    &hi, timeout_ms);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			util_seterr(errstr, errstr_size, "watermarks of %s[%d]: %s", p->topic,
			    (int)p->partition, rd_kafka_err2str(err));
			rc = -1;
			break;
		}
		lag = hi - (p->offset >= 0 ? p->offset : lo);
		cb(p->topic, p->partition, lag > 0 ? lag : 0, arg);
	}
	rd_kafka_topic_partition_list_destroy(parts);
	return rc;
}
