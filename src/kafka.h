/*
 * kafka.h - the librdkafka plumbing of the worker: a consumer group member
 * that never commits past an unanswered record, an idempotent result
 * producer, and (for quick starts) librdkafka's in-process mock cluster.
 *
 * Offsets: every consumed record gets a mark (kafka_track) in consumption
 * order. An offset is stored for the automatic committer only once the mark
 * and every earlier mark of the same partition are done, so a result for
 * N+1 that is acknowledged first waits for N.
 */
#ifndef SCRC_KAFKA_H
#define SCRC_KAFKA_H

#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

struct kafka;
struct kafka_mark;

/*
 * A result was acknowledged (err == 0) or refused for good: a fatal
 * producer error, or a record too large for the broker. Transient errors
 * never reach this callback: kafka.c produces the record again itself.
 */
typedef void	kafka_delivered_cb(void *opaque, rd_kafka_resp_err_t err,
		    const char *errstr, void *arg);
/*
 * Partitions are about to be taken away (lost = 1: already gone, nothing
 * can be committed for them). Runs inside kafka_consume(); when it returns,
 * the worker must not hold a running job for these partitions: marks it
 * still holds become orphans whose kafka_done() stores nothing.
 */
typedef void	kafka_revoke_cb(const rd_kafka_topic_partition_list_t *parts, int lost,
		    void *arg);
/* Partitions were added to the assignment (they start unpaused). */
typedef void	kafka_assign_cb(const rd_kafka_topic_partition_list_t *parts, void *arg);

struct kafka_callbacks {
	kafka_delivered_cb	*delivered;
	kafka_revoke_cb		*revoke;
	kafka_assign_cb		*assigned;
	void			*arg;
};

/*
 * Creates the producer and the consumer from the global conf and
 * subscribes to conf.topic. With conf.embedded_kafka, first starts a mock
 * cluster with both topics and prints its bootstrap address on stderr and
 * stdout. The callbacks are copied. Returns NULL with a message on error.
 */
struct kafka	*kafka_open(const struct kafka_callbacks *cb, char *errstr,
		    size_t errstr_size);
/* The bootstrap servers actually used (the mock cluster's when embedded). */
const char	*kafka_bootstrap(const struct kafka *k);

/*
 * Polls the consumer (serving rebalances). Returns a record or an error
 * event (check ->err) that the caller destroys with rd_kafka_message_destroy
 * in the same loop iteration, or NULL when nothing arrived in timeout_ms.
 */
rd_kafka_message_t *kafka_consume(struct kafka *k, int timeout_ms);
/* Serves the producer's delivery reports and error callbacks. */
void		 kafka_serve(struct kafka *k);
/*
 * A descriptor to poll() for reading beside the caller's own: it becomes
 * readable when the consumer has something for kafka_consume. Each call
 * first empties it (call it just before poll()). -1: none, use a timeout.
 */
int		 kafka_wake_fd(struct kafka *k);

/*
 * Starts tracking a consumed record. Must be called in consumption order.
 * The mark belongs to kafka.c; the caller gives it back exactly once with
 * kafka_done() (answered) or kafka_drop() (abandoned, never stored).
 */
struct kafka_mark *kafka_track(struct kafka *k, const rd_kafka_message_t *m);
/* The record is answered: stores the partition's offset when all earlier
 * marks are done too. */
void		 kafka_done(struct kafka *k, struct kafka_mark *mark);
/* The record was not answered: it keeps blocking its partition's offset,
 * so it is consumed again after a restart or rebalance. */
void		 kafka_drop(struct kafka *k, struct kafka_mark *mark);
/* Number of marks not yet given back. */
size_t		 kafka_pending(const struct kafka *k);

/*
 * Produces one result (key = submission id); the payload is copied. The
 * delivery callback later gets opaque. Returns 0, or -1 with a message when
 * the record could not even be queued (caller retries later).
 */
int		 kafka_produce(struct kafka *k, const char *key, const char *value,
		    size_t value_len, void *opaque, char *errstr, size_t errstr_size);

/* Pauses (pause = 1) or resumes the whole current assignment. */
int		 kafka_pause(struct kafka *k, int pause, char *errstr, size_t errstr_size);
/* Non-zero once librdkafka raised a fatal error; its text goes in errstr. */
int		 kafka_fatal(struct kafka *k, char *errstr, size_t errstr_size);
/* True when topic/partition is in parts. */
int		 kafka_partition_in(const rd_kafka_topic_partition_list_t *parts,
		    const char *topic, int32_t partition);

/*
 * Asks the cluster for its metadata, waiting at most timeout_ms: 0 when a
 * broker answered, -1 with the error in errstr. Blocks; safe to call from
 * another thread than the worker's while k is open.
 */
int		 kafka_probe(struct kafka *k, int timeout_ms, char *errstr,
		    size_t errstr_size);

/* One assigned partition's consumer lag (records not yet committed). */
typedef void	kafka_lag_cb(const char *topic, int32_t partition, int64_t lag, void *arg);
/*
 * Calls cb for every partition currently assigned: the broker's high
 * watermark minus the group's committed offset (minus the low watermark
 * when nothing is committed yet). Blocks up to timeout_ms per broker
 * request; thread-safe like kafka_probe. Returns 0, or -1 with errstr
 * (partitions reported before the failure stand).
 */
int		 kafka_lag(struct kafka *k, int timeout_ms, kafka_lag_cb *cb, void *arg,
		    char *errstr, size_t errstr_size);

/* Commits the stored offsets now and waits for the answer. */
int		 kafka_commit(struct kafka *k, char *errstr, size_t errstr_size);
/*
 * Leaves the group (committing what is stored), waits up to flush_ms for
 * queued results, then destroys everything. kafka_close(NULL) is a no-op.
 */
void		 kafka_close(struct kafka *k, int flush_ms);

#endif
