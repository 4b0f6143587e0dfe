/*
 * spare.c - the worker's judges started ahead of submissions (see
 * spare.h): which languages get one, starting, taking, sending away.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spare.h"
#include "util.h"

/* Languages remembered (their last key and when they were asked for). */
#define SPARE_LANGS_MAX	64
/* A spare that died waiting: its language gets none for this long. */
#define SPARE_FAIL_MS	10000
/* How long a spare sent away may take to remove its box. */
#define SPARE_REAP_MS	120000
/* A submission's weight in a language's demand halves in this time. */
#define SPARE_HALF_LIFE_MS	60000.0
/*
 * A full pool gives a language's spare to another only when that one is
 * asked for this many times as much: languages asked for about equally
 * keep the spares they have rather than trade them (each trade costs a
 * box that served nobody).
 */
#define SPARE_TRADE_FACTOR	2.0

struct spare_lang {
	char		*language;
	char		*key;		/* NULL until a judge of it reported one */
	int64_t		 asked_ms;	/* monotonic: last submission of it */
	double		 demand;	/* submissions, each weighing less with age */
	int64_t		 fail_until;
	int		 out;		/* its judges at work, which may bring their box back */
};

struct spare {
	struct spare_child	 c;
	struct spare_lang	*lang;
	char			*key;		/* the box it started */
	uint64_t		 generation;	/* of the images it was started under */
};

struct spare_pool {
	int64_t			 max;
	int64_t			 reuse;		/* judges of a language that may wait with
						   their boxes (0: none come back) */
	spare_start_fn		 start;
	void			*arg;
	struct reap		*reap;
	struct spare_lang	 langs[SPARE_LANGS_MAX];
	size_t			 nlangs;
	struct spare		*v;
	size_t			 n;
};

struct spare_pool *
spare_new(int64_t max, int64_t reuse, spare_start_fn start, void *arg, struct reap *reap)
{
	struct spare_pool *p = xcalloc(1, sizeof *p);

	p->max = max < 0 ? 0 : max;
	p->reuse = reuse;
	p->start = start;
	p->arg = arg;
	p->reap = reap;
	p->v = xcalloc(p->max > 0 ? (size_t)p->max : 1, sizeof *p->v);
	return p;
}

static void	spare_retire(struct spare_pool *p, size_t i);

/* The language's entry, made when missing (the longest unasked one goes). */
static struct spare_lang *
spare_lang(struct spare_pool *p, const char *language)
{
	struct spare_lang *l, *oldest = NULL;
	size_t i;

	for (i = 0; i < p->nlangs; i++)
		if (strcmp(p->langs[i].language, language) == 0)
			return &p->langs[i];
	if (p->nlangs < SPARE_LANGS_MAX)
		l = &p->langs[p->nlangs++];
	else {
		for (i = 0; i < p->nlangs; i++)
			if (oldest == NULL || p->langs[i].asked_ms < oldest->asked_ms)
				oldest = &p->langs[i];
		l = oldest;
		/* Its spare, if any, is about to lose its language: send it away. */
		for (i = 0; i < p->n; i++)
			if (p->v[i].lang == l)
				p->v[i].lang = NULL;
		free(l->language);
		free(l->key);
	}
	memset(l, 0, sizeof *l);
	l->language = xstrdup(language);
	return l;
}

void
spare_learn(struct spare_pool *p, const char *language, const char *key)
{
	struct spare_lang *l;
	size_t i;

	if (p == NULL || p->max == 0)
		return;
	l = spare_lang(p, language);
	if (l->key != NULL && strcmp(l->key, key) == 0)
		return;
	free(l->key);
	l->key = xstrdup(key);
	/* The language's submissions now need another box: its spare's would be wasted. */
	for (i = 0; i < p->n; i++)
		if (p->v[i].lang == l && strcmp(p->v[i].key, key) != 0) {
			spare_retire(p, i);
			break;
		}
}

/* Takes v[i] out of the list. */
static void
spare_remove(struct spare_pool *p, size_t i)
{
	free(p->v[i].key);
	p->v[i] = p->v[--p->n];
}

static void
spare_close_fds(struct spare_child *c)
{
	if (c->in_fd >= 0)
		close(c->in_fd);
	if (c->out_fd >= 0)
		close(c->out_fd);
	c->in_fd = c->out_fd = -1;
}

/* Closing its stdin tells it it is not needed; the reaper waits for it. */
static void
spare_retire(struct spare_pool *p, size_t i)
{
	struct spare *s = &p->v[i];

	spare_close_fds(&s->c);
	reap_add(p->reap, s->c.pl, s->c.pid, "judge started ahead", SPARE_REAP_MS);
	spare_remove(p, i);
}

/* The language's demand as of now. */
static double
spare_demand(const struct spare_lang *l, int64_t now)
{
	if (l->asked_ms == 0)
		return 0.0;
	return l->demand * exp2(-(double)(now - l->asked_ms) / SPARE_HALF_LIFE_MS);
}

int
spare_take(struct spare_pool *p, const char *language, uint64_t images_generation,
    struct spare_child *out)
{
	struct spare_lang *l;
	int64_t now;
	size_t i;

	if (p == NULL || p->max == 0)
		return -1;
	l = spare_lang(p, language);
	now = util_now_ms();
	l->demand = spare_demand(l, now) + 1.0;
	l->asked_ms = now;
	l->out++;
	for (i = 0; i < p->n; i++)
		if (p->v[i].lang == l && p->v[i].generation == images_generation) {
			*out = p->v[i].c;
			spare_remove(p, i);
			return 0;
		}
	return -1;
}

/* The language's entry, or NULL (never made here). */
static struct spare_lang *
spare_find(struct spare_pool *p, const char *language)
{
	size_t i;

	for (i = 0; p != NULL && language != NULL && i < p->nlangs; i++)
		if (strcmp(p->langs[i].language, language) == 0)
			return &p->langs[i];
	return NULL;
}

void
spare_done(struct spare_pool *p, const char *language)
{
	struct spare_lang *l = spare_find(p, language);

	if (l != NULL && l->out > 0)
		l->out--;
}

static ssize_t	spare_traded(const struct spare_pool *p, const struct spare_lang *want,
		    int64_t now);
static size_t	spare_of(const struct spare_pool *p, const struct spare_lang *l);

int
spare_back(struct spare_pool *p, const char *language, uint64_t child_generation,
    uint64_t images_generation, const struct spare_child *c)
{
	struct spare_lang *l = spare_find(p, language);
	struct spare *s;
	ssize_t traded;

	if (l == NULL)
		return -1;
	if (l->out > 0)
		l->out--;
	if (!p->reuse || p->max == 0 || l->key == NULL || child_generation != images_generation ||
	    spare_of(p, l) >= (size_t)p->reuse)
		return -1;
	/* Full: a judge that costs nothing to keep may take a less asked-for one's place. */
	if (p->n >= (size_t)p->max) {
		if ((traded = spare_traded(p, l, util_now_ms())) < 0)
			return -1;
		log_debug("worker: the judge waiting for %s makes room for one of %s",
		    p->v[traded].lang->language, l->language);
		spare_retire(p, (size_t)traded);
	}
	s = &p->v[p->n++];
	memset(s, 0, sizeof *s);
	s->c = *c;
	s->lang = l;
	s->key = xstrdup(l->key);
	s->generation = images_generation;
	log_debug("worker: the judge of %s (pid %ld) waits with its box for the next one",
	    l->language, (long)c->pid);
	return 0;
}

/* 1 when the child has exited (or libpipeline's own handler reaped it). */
static int
spare_exited(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
		return errno == ECHILD;
	return si.si_pid == pid;
}

/* How many wait for l. */
static size_t
spare_of(const struct spare_pool *p, const struct spare_lang *l)
{
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		n += p->v[i].lang == l;
	return n;
}

static int
spare_has(const struct spare_pool *p, const struct spare_lang *l)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].lang == l)
			return 1;
	return 0;
}

/*
 * Places kept for judges at work that will likely come back with their
 * boxes (spare_back): one per language that has judges out and no spare.
 */
static size_t
spare_reserved(const struct spare_pool *p)
{
	size_t i, n = 0;

	for (i = 0; p->reuse && i < p->nlangs; i++)
		if (p->langs[i].out > 0 && !spare_has(p, &p->langs[i]))
			n++;
	return n;
}

/* The most asked-for language with a key and no spare, or NULL. */
static struct spare_lang *
spare_next(struct spare_pool *p, int64_t now)
{
	struct spare_lang *best = NULL, *l;
	size_t i;

	for (i = 0; i < p->nlangs; i++) {
		l = &p->langs[i];
		if (l->key == NULL || l->asked_ms == 0 || now - l->asked_ms >= SPARE_IDLE_MS ||
		    now < l->fail_until || spare_has(p, l) || (p->reuse && l->out > 0))
			continue;
		if (best == NULL || spare_demand(l, now) > spare_demand(best, now))
			best = l;
	}
	return best;
}

/*
 * With the pool full, the spare whose language is asked for least, when
 * want is asked for SPARE_TRADE_FACTOR times as much; else none (-1).
 */
static ssize_t
spare_traded(const struct spare_pool *p, const struct spare_lang *want, int64_t now)
{
	ssize_t low = -1;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].lang != NULL && (low < 0 || spare_demand(p->v[i].lang, now) <
		    spare_demand(p->v[low].lang, now)))
			low = (ssize_t)i;
	if (low < 0 || spare_demand(want, now) <
	    SPARE_TRADE_FACTOR * spare_demand(p->v[low].lang, now))
		return -1;
	return low;
}

void
spare_tick(struct spare_pool *p, int may_start, uint64_t images_generation)
{
	int64_t now = util_now_ms();
	struct spare_lang *l;
	struct spare *s;
	char err[512];
	ssize_t traded;
	size_t i;

	if (p == NULL || p->max == 0)
		return;
	for (i = p->n; i-- > 0;) {
		s = &p->v[i];
		if (spare_exited(s->c.pid)) {
			log_warn("worker: a judge started ahead for %s exited while waiting",
			    s->lang != NULL ? s->lang->language : "?");
			if (s->lang != NULL)
				s->lang->fail_until = now + SPARE_FAIL_MS;
			spare_close_fds(&s->c);
			pipeline_wait(s->c.pl);
			pipeline_free(s->c.pl);
			spare_remove(p, i);
		} else if (s->lang == NULL || s->generation != images_generation ||
		    now - s->lang->asked_ms >= SPARE_IDLE_MS || !may_start)
			spare_retire(p, i);
	}
	if (may_start && p->n == (size_t)p->max && (l = spare_next(p, now)) != NULL &&
	    (traded = spare_traded(p, l, now)) >= 0) {
		log_debug("worker: the judge started ahead for %s makes room for %s",
		    p->v[traded].lang->language, l->language);
		spare_retire(p, (size_t)traded);
	}
	while (may_start && p->n + spare_reserved(p) < (size_t)p->max &&
	    (l = spare_next(p, now)) != NULL) {
		s = &p->v[p->n];
		memset(s, 0, sizeof *s);
		if (p->start(p->arg, l->key, &s->c, err, sizeof err) != 0) {
			log_warn("worker: cannot start a judge ahead for %s: %s", l->language, err);
			l->fail_until = now + SPARE_FAIL_MS;
			continue;
		}
		s->lang = l;
		s->key = xstrdup(l->key);
		s->generation = images_generation;
		p->n++;
		log_debug("worker: judge started ahead for %s (pid %ld)", l->language,
		    (long)s->c.pid);
	}
}

size_t
spare_count(const struct spare_pool *p)
{
	return p != NULL ? p->n : 0;
}

void
spare_retire_all(struct spare_pool *p)
{
	if (p == NULL)
		return;
	while (p->n > 0)
		spare_retire(p, p->n - 1);
}

void
spare_kill_all(struct spare_pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		if (kill(-p->v[i].c.pid, SIGKILL) != 0)
			kill(p->v[i].c.pid, SIGKILL);
}

void
spare_free(struct spare_pool *p)
{
	size_t i;

	if (p == NULL)
		return;
	spare_retire_all(p);
	for (i = 0; i < p->nlangs; i++) {
		free(p->langs[i].language);
		free(p->langs[i].key);
	}
	free(p->v);
	free(p);
}
