/*
 * interact.h - one test of an interactive problem: the program and the
 * interactor run at once, each in its own box, the interactor's stdout
 * being the program's stdin and the program's stdout the interactor's
 * stdin, and the verdict is decided from both runs.
 */
#ifndef SCRC_INTERACT_H
#define SCRC_INTERACT_H

#include "docker.h"
#include "result.h"
#include "setter.h"
#include "verdict.h"

/* The FIFO names in the interaction volume (BOX_IPC_DIR in both boxes). */
#define INTERACT_TO_PROG	"to-program"
#define INTERACT_FROM_PROG	"from-program"

/*
 * Runs one test: ex (the program's run, its channels set here) in box,
 * the interactor s on input. Fills t: the program's exit code, times and
 * memory, its stderr (its stdout went to the interactor), and the status:
 *  - the program's TL, ML, OL, or RE by a signal other than SIGPIPE,
 *    whatever the interactor said;
 *  - else the interactor's decision (OK, WA, PE: WA, partial), where a
 *    program that died of SIGPIPE or exited non-zero after the interactor
 *    rejected it gets the rejection (it lost its peer), and a program that
 *    exited non-zero while the interactor accepted gets RE;
 *  - a program still running a grace period after the interactor accepted
 *    is stopped: TL; after a rejection it is stopped at once;
 *  - an interactor that failed (exit 3 or unknown, crash, its own limits)
 *    makes the test IE naming it.
 * The OUTPUT the interactor wrote goes to output (for a checker program);
 * *dirty says the program's run left its box unclean.
 * Returns 0, or -1 when a box failed (err).
 */
int	interact_test(struct docker_box *box, const struct docker_exec *ex,
	    const struct verdict_limits *vl, struct setter *s, const char *input,
	    size_t input_len, struct result_test *t, struct buf *output, int *dirty, char *err,
	    size_t err_size);

#endif
