/*
 * reap.c - children that answered and are removing their boxes: a list
 * polled with waitid(WNOHANG | WNOWAIT) so that pipeline_wait, which
 * blocks, is only called on a child that has exited.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reap.h"
#include "util.h"

struct reap_child {
	struct reap_child	*next;
	pipeline		*pl;
	pid_t			 pid;
	char			*id;
	int64_t			 deadline;	/* monotonic ms: killed after it */
};

struct reap {
	struct reap_child	*children;
	size_t			 n;
};

struct reap *
reap_new(void)
{
	return xcalloc(1, sizeof (struct reap));
}

void
reap_add(struct reap *r, pipeline *pl, pid_t pid, const char *id, int64_t limit_ms)
{
	struct reap_child *c = xcalloc(1, sizeof *c);

	c->pl = pl;
	c->pid = pid;
	c->id = xstrdup(id);
	c->deadline = util_add_sat(util_now_ms(), limit_ms);
	c->next = r->children;
	r->children = c;
	r->n++;
}

/* 1 when the child has exited (or was reaped by libpipeline's own handler). */
static int
reap_exited(const struct reap_child *c)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	if (waitid(P_PID, c->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
		return errno == ECHILD;
	return si.si_pid == c->pid;
}

static void
reap_kill(const struct reap_child *c)
{
	if (kill(-c->pid, SIGKILL) != 0)
		kill(c->pid, SIGKILL);
}

/* Collects an exited child's status and forgets it. */
static void
reap_collect(struct reap *r, struct reap_child **link)
{
	struct reap_child *c = *link;
	int status = pipeline_wait(c->pl);

	/* The verdict is out; what failed here is boxes left for --cleanup. */
	if (status != 0)
		log_warn("worker: %s: judge exited %d while removing its boxes", c->id, status);
	pipeline_free(c->pl);
	*link = c->next;
	free(c->id);
	free(c);
	r->n--;
}

size_t
reap_poll(struct reap *r)
{
	struct reap_child **link, *c;
	int64_t now = util_now_ms();

	if (r == NULL)
		return 0;
	for (link = &r->children; (c = *link) != NULL;) {
		if (!reap_exited(c) && now >= c->deadline) {
			log_warn("worker: %s: judge still removing its boxes at its deadline, "
			    "killing it (`scrc --cleanup` removes what it leaves)", c->id);
			reap_kill(c);
			/* Killed: it exits at once; pipeline_wait below is not long. */
		} else if (!reap_exited(c)) {
			link = &c->next;
			continue;
		}
		reap_collect(r, link);
	}
	return r->n;
}

void
reap_kill_all(struct reap *r)
{
	struct reap_child *c;

	for (c = r != NULL ? r->children : NULL; c != NULL; c = c->next)
		reap_kill(c);
}

void
reap_free(struct reap *r, int64_t wait_ms)
{
	int64_t until = util_add_sat(util_now_ms(), wait_ms);
	struct reap_child *c;

	if (r == NULL)
		return;
	while (reap_poll(r) > 0 && util_now_ms() < until)
		usleep(20000);
	if (r->n > 0) {
		log_warn("worker: %zu judge(s) still removing boxes at exit, killing them",
		    r->n);
		for (c = r->children; c != NULL; c = c->next)
			c->deadline = 0;
		reap_poll(r);
	}
	free(r);
}
