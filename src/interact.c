/*
 * interact.c - an interactive test. Both boxes get their run at once and
 * are waited for together: whichever ends first may end the other (a
 * program that crashed leaves the interactor nothing to do; an interactor
 * that decided leaves the program nothing to say), so no test waits for a
 * wall limit once its verdict is known.
 */
#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "interact.h"
#include "util.h"

/* How long a program may take to exit after the interactor accepted it. */
#define INTERACT_GRACE_MS	1000
/* How often the two runs are looked at when neither says anything. */
#define INTERACT_TICK_MS	50

/* Both runs, as they end. */
struct interact {
	struct docker_box		*pbox, *ibox;
	struct docker_exec_result	 prun, irun;
	int				 pdone, idone;
	int				 pstopped, istopped;	/* we sent STOP */
	int64_t				 idone_at;
	enum result_status		 pstatus;	/* the program's run alone */
	char				 pwhy[256];	/* and why, when not OK */
	struct result_test		 decision;	/* the interactor's */
};

/* Waits up to timeout_ms for either box to say something. */
static void
interact_poll(const struct interact *x, int64_t timeout_ms)
{
	struct pollfd pfd[2];
	nfds_t n = 0;

	if (!x->pdone) {
		pfd[n].fd = docker_box_fd(x->pbox);
		pfd[n++].events = POLLIN;
	}
	if (!x->idone) {
		pfd[n].fd = docker_box_fd(x->ibox);
		pfd[n++].events = POLLIN;
	}
	if (n > 0)
		poll(pfd, n, (int)timeout_ms);
}

/* Runs both to their end, stopping one when the other has decided. */
static int
interact_wait(struct interact *x, const struct verdict_limits *vl, char *err,
    size_t err_size)
{
	int r;

	while (!x->pdone || !x->idone) {
		interact_poll(x, INTERACT_TICK_MS);
		if (!x->pdone) {
			if ((r = docker_box_exec_wait(x->pbox, &x->prun, 0, err, err_size)) < 0)
				return -1;
			if (r == 1) {
				x->pdone = 1;
				x->pstatus = verdict_classify(&x->prun, vl, -1, x->pwhy,
				    sizeof x->pwhy);
			}
		}
		if (!x->idone) {
			if ((r = docker_box_exec_wait(x->ibox, &x->irun, 0, err, err_size)) < 0)
				return -1;
			if (r == 1) {
				x->idone = 1;
				x->idone_at = util_now_ms();
			}
		}
		/*
		 * A program over one of its limits has its verdict: the
		 * interactor need not go on. (One that crashed closed its ends:
		 * the interactor sees that and decides by itself, quickly.)
		 */
		if (x->pdone && !x->idone && !x->istopped && (x->pstatus == RESULT_TL ||
		    x->pstatus == RESULT_ML || x->pstatus == RESULT_OL)) {
			if (docker_box_stop(x->ibox, err, err_size) != 0)
				return -1;
			x->istopped = 1;
		}
		/*
		 * The interactor decided: a rejected program is stopped at once,
		 * an accepted one gets a moment to exit by itself.
		 */
		if (x->idone && !x->pdone && !x->pstopped &&
		    (!x->irun.exited || x->irun.exit_code != 0 ||
		    util_now_ms() - x->idone_at >= INTERACT_GRACE_MS)) {
			if (docker_box_stop(x->pbox, err, err_size) != 0)
				return -1;
			x->pstopped = 1;
		}
	}
	return 0;
}

/* Puts the program's own figures and stderr into t. */
static void
interact_program(struct interact *x, struct result_test *t)
{
	t->exit_code = x->prun.exited ? x->prun.exit_code : 128 + x->prun.signal;
	t->duration_ms = x->prun.wall_ms;
	t->cpu_time_ms = x->prun.cpu_ms;
	t->memory_bytes = x->prun.memory_bytes;
	buf_free(&t->err);
	t->err = x->prun.err;
	buf_init(&x->prun.err);
	buf_free(&t->out);
	buf_init(&t->out);
}

/* The verdict from both runs, as interact.h says. */
static void
interact_decide(struct interact *x, struct result_test *t)
{
	struct result_test *d = &x->decision;
	/* The program's run alone, as classified when it ended. */
	enum result_status ps = x->pstatus;
	const char *why = x->pwhy;
	int rejected = d->status != RESULT_OK;	/* WA, PE, partial, or it failed */
	int lost_peer = x->prun.stopped || (!x->prun.exited && x->prun.signal == SIGPIPE) ||
	    (x->prun.exited && x->prun.exit_code != 0 && !x->prun.output_limit_hit);

	/* The interactor's findings (score, status, message) are the test's... */
	t->scored = 1;
	t->score = d->score;
	t->checker_status = d->checker_status;
	buf_free(&t->checker_msg);
	t->checker_msg = d->checker_msg;
	buf_init(&d->checker_msg);
	free(t->reason);
	t->reason = NULL;
	free(t->error);
	t->error = NULL;
	if (!x->prun.stopped && (ps == RESULT_TL || ps == RESULT_ML || ps == RESULT_OL)) {
		t->status = ps;		/* its own limit, whatever the interactor said */
		t->score = 0;
		t->reason = xstrdup(why);
		return;
	}
	if (ps == RESULT_RE && !x->prun.stopped && !(rejected && lost_peer)) {
		t->status = RESULT_RE;	/* it crashed, or failed while being accepted */
		t->score = 0;
		t->reason = xstrdup(why);
		return;
	}
	if (x->prun.stopped && d->status == RESULT_OK) {
		/* Accepted, but it would not end. */
		t->status = RESULT_TL;
		t->score = 0;
		t->reason = xstrdup("did not exit after the interactor accepted");
		return;
	}
	/* The interactor's decision stands (or its failure: IE). */
	t->status = d->status;
	t->reason = d->reason;
	d->reason = NULL;
	t->error = d->error;
	d->error = NULL;
}

int
interact_test(struct docker_box *box, const struct docker_exec *ex,
    const struct verdict_limits *vl, struct setter *s, const char *input, size_t input_len,
    struct result_test *t, struct buf *output, int *dirty, char *err, size_t err_size)
{
	struct docker_exec pex = *ex;
	struct interact x;
	int rc = -1;

	memset(&x, 0, sizeof x);
	x.pbox = box;
	x.ibox = setter_box(s);
	buf_init(&x.decision.checker_msg);
	/* The interactor first: it opens its end towards the program first. */
	if (setter_interact_start(s, input, input_len, INTERACT_TO_PROG, INTERACT_FROM_PROG,
	    err, err_size) != 0)
		return -1;
	pex.input = NULL;
	pex.input_len = 0;
	pex.fifo_in = INTERACT_TO_PROG;
	pex.fifo_out = INTERACT_FROM_PROG;
	pex.fifo_out_first = 0;
	if (docker_box_exec_start(box, &pex, err, err_size) != 0) {
		/* The interactor waits on a channel nobody will open: stop it. */
		docker_box_stop(x.ibox, NULL, 0);
		return -1;
	}
	if (interact_wait(&x, vl, err, err_size) != 0)
		goto out;
	x.decision.number = t->number;
	if (setter_interact_finish(s, &x.irun, &x.decision, output, err, err_size) != 0)
		goto out;
	interact_program(&x, t);
	interact_decide(&x, t);
	*dirty = x.prun.dirty;
	t->truncated = 0;
	rc = 0;
out:
	/* Whatever has not been handed over yet. */
	docker_exec_result_free(&x.prun);
	docker_exec_result_free(&x.irun);
	buf_free(&x.decision.checker_msg);
	free(x.decision.error);
	free(x.decision.reason);
	return rc;
}
