/*
 * worker.h - the daemon: consumes submissions, judges each one in a child
 * process (`scrc run --worker-child -`), publishes the results and commits
 * in order; parallel children, retries of infrastructure failures, graceful
 * and forced shutdown.
 */
#ifndef SCRC_WORKER_H
#define SCRC_WORKER_H

#include <stddef.h>
#include <stdint.h>

/* Exit status of `scrc run --worker-child` on an infrastructure failure
 * (EX_TEMPFAIL): its line is an IE result, and the worker tries again. */
#define WORKER_EXIT_RETRY	75

/*
 * A judging child reads frames on its stdin, each "LEN\n" and LEN bytes:
 * a submission is two of them, the id to answer under when the record has
 * none, then the record. It judges one submission after another until its
 * stdin ends between two.
 *
 * The line a judging child writes after its result line when the verdict
 * is final, then it closes its stdout (unless it said WORKER_AGAIN_LINE)
 * and exits 0: the worker publishes at once, and reaps the child later,
 * while it removes its boxes.
 */
#define WORKER_FINAL_LINE	"scrc-final"
/*
 * A line between the result and the trailer: "scrc-warm KEY", the key
 * (docker_spec_key) of the box that judge needed first, which the worker
 * hands to the next judge it starts ahead for the same language.
 */
#define WORKER_WARM_LINE	"scrc-warm"
/*
 * A line before the trailer: the child kept that box, will reset it and
 * reads another submission from its stdin (it does not close its stdout
 * then). A worker that does not want it closes the child's stdin.
 */
#define WORKER_AGAIN_LINE	"scrc-again"

/*
 * The longest one attempt at judging may take before the worker kills it,
 * in ms, for a request's (untrusted) time and wall limits (0 = default) and
 * number of tests: the build, then every test at the wall limit the judge
 * will apply (after conf's defaults and ceilings), with slack. Saturates at
 * INT64_MAX; never overflows, always > 0.
 */
int64_t	worker_watchdog_ms(int64_t time_limit_ms, int64_t wall_time_limit_ms,
	    size_t ntests);

/*
 * Runs the worker with the loaded global conf until a `done` record,
 * SCRIPT_EXPECTED answers, SIGTERM/SIGINT or a fatal Kafka error. Installs
 * its own SIGTERM/SIGINT/SIGPIPE handling. Returns the process exit status:
 * 0 after an orderly stop, 1 on a fatal error.
 */
int	worker_main(void);

#endif
