/*
 * setter.h - a problem setter's program (a testlib checker, an interactor)
 * judged with a submission: built once per worker (progcache.c), run in a
 * box of its own per submission, never in the submission's, under its own
 * limits, its exit code read by testlib's convention.
 */
#ifndef SCRC_SETTER_H
#define SCRC_SETTER_H

#include <stddef.h>
#include <stdint.h>

#include "docker.h"
#include "lang.h"
#include "plan.h"
#include "request.h"
#include "result.h"

/* Longest checker message kept (PROTOCOL.md: stderr cut to 4 KiB). */
#define SETTER_MESSAGE_MAX	4096

struct setter;

/*
 * Resolves spec's profile, gets its build (from the cache, or builds it
 * and caches it: "WHAT: cache hit KEY" / "WHAT: built KEY in N ms" is
 * logged), opens its box sized for files of up to max_io bytes (with the
 * interaction volume ipc_volume mounted, when not NULL) and places the
 * program. what names it in messages ("checker", "interactor").
 * Returns the setter, or NULL with err and *final: 1 when the spec itself
 * is at fault (unknown language, does not build: an IE that retrying
 * cannot change), 0 on an infrastructure failure.
 */
struct setter *setter_open(const struct lang_set *langs, const struct request_program *spec,
	    const char *what, const char *submission_id, int64_t max_io, const char *ipc_volume,
	    int *final, char *err, size_t err_size);

/*
 * Runs the checker as `checker INPUT OUTPUT ANSWER` on the three texts
 * and records its decision in t: status (OK, WA, or IE when the checker
 * failed: exit 3 or unknown, crash, its own limits, naming the checker in
 * t->error), score, checker_status and checker_message. The program's own
 * measurements in t are left alone. Returns 0, or -1 when the box failed
 * (err; an infrastructure failure).
 */
int	setter_check(struct setter *s, const char *input, size_t input_len,
	    const char *output, size_t output_len, const char *answer, size_t answer_len,
	    struct result_test *t, char *err, size_t err_size);

/*
 * Starts the interactor on one test: `interactor INPUT OUTPUT` with its
 * stdout on the FIFO to_prog and its stdin on from_prog (of the
 * interaction volume), in a directory of its own where it writes OUTPUT.
 * Wait for it with docker_box_exec_wait(setter_box(s), ...). 0, or -1.
 */
int	setter_interact_start(struct setter *s, const char *input, size_t input_len,
	    const char *to_prog, const char *from_prog, char *err, size_t err_size);

/* The box, to wait for or stop the run setter_interact_start began. */
struct docker_box *setter_box(struct setter *s);

/*
 * Reads the interactor's finished run as a decision, into t as
 * setter_check does (status, score, checker_status, checker_message; IE
 * when it failed), and fetches the OUTPUT it wrote into output (empty when
 * it wrote none). Frees run. 0, or -1 when the box failed.
 */
int	setter_interact_finish(struct setter *s, struct docker_exec_result *run,
	    struct result_test *t, struct buf *output, char *err, size_t err_size);

/*
 * Frees the setter; its box is left to docker_box_close_all (see
 * docker_box_close_later). NULL is a no-op.
 */
void	setter_close(struct setter *s);

#endif
