/*
 * test_spare.c - the worker's pool of judges started ahead: one per
 * language, at most the pool's size, only with a key, replaced when the
 * language's key changes, dropped when they die or the images change, and
 * traded to a language asked for much more; judges coming back with their
 * boxes (reuse). The "judges" here are `cat`
 * processes: a spare sent away sees its stdin close and exits, as a real
 * one does.
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pipeline.h>

#include "reap.h"
#include "spare.h"

/* What the fake start saw: the keys, in order. */
static char	started[16][64];
static int	nstarted;

static int
fake_start(void *arg, const char *key, struct spare_child *c, char *err, size_t err_size)
{
	int in[2], out[2];

	(void)arg;
	(void)err;
	(void)err_size;
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
		return -1;
	c->pl = pipeline_new_command_args("cat", (void *)NULL);
	pipeline_want_in(c->pl, in[0]);
	pipeline_want_out(c->pl, out[1]);
	pipeline_start(c->pl);
	c->pid = pipeline_get_pid(c->pl, 0);
	c->in_fd = in[1];
	c->out_fd = out[0];
	if (nstarted < 16)
		snprintf(started[nstarted++], sizeof started[0], "%s", key);
	return 0;
}

/* Gives a taken child back the way the worker would: stdin closed, reaped. */
static void
finish(struct spare_child *c)
{
	close(c->in_fd);
	close(c->out_fd);
	pipeline_wait(c->pl);
	pipeline_free(c->pl);
}

static void
test_pool(void **state)
{
	struct reap *r = reap_new();
	struct spare_pool *p = spare_new(2, 0, fake_start, NULL, r);
	struct spare_child c;

	(void)state;
	nstarted = 0;
	/* Nothing learnt yet: no spare, and none started. */
	assert_int_equal(spare_take(p, "python", 0, &c), -1);
	spare_tick(p, 1, 0);
	assert_int_equal(spare_count(p), 0);
	/* A key learnt: one spare, with that key. */
	spare_learn(p, "python", "k-py-1");
	spare_tick(p, 1, 0);
	assert_int_equal(spare_count(p), 1);
	assert_int_equal(nstarted, 1);
	assert_string_equal(started[0], "k-py-1");
	/* Another language has none; python's is taken, then replaced. */
	assert_int_equal(spare_take(p, "c", 0, &c), -1);
	assert_int_equal(spare_take(p, "python", 0, &c), 0);
	assert_int_equal(spare_count(p), 0);
	finish(&c);
	spare_learn(p, "c", "k-c-1");
	spare_tick(p, 1, 0);
	assert_int_equal(spare_count(p), 2);
	assert_int_equal(nstarted, 3);
	/* The same key again changes nothing; a new one replaces the spare. */
	spare_learn(p, "c", "k-c-1");
	assert_int_equal(spare_count(p), 2);
	spare_learn(p, "c", "k-c-2");
	assert_int_equal(spare_count(p), 1);
	spare_tick(p, 1, 0);
	assert_int_equal(spare_count(p), 2);
	assert_string_equal(started[nstarted - 1], "k-c-2");
	/* The pool is full: a third language waits. */
	spare_learn(p, "go", "k-go-1");
	assert_int_equal(spare_take(p, "go", 0, &c), -1);
	spare_tick(p, 1, 0);
	assert_int_equal(spare_count(p), 2);
	/* Asked for much more than python (once) and c (once): go gets one. */
	assert_int_equal(spare_take(p, "go", 0, &c), -1);
	assert_int_equal(spare_take(p, "go", 0, &c), -1);
	assert_int_equal(spare_take(p, "go", 0, &c), -1);
	spare_tick(p, 1, 0);
	assert_int_equal(spare_count(p), 2);
	assert_string_equal(started[nstarted - 1], "k-go-1");
	assert_int_equal(spare_take(p, "go", 0, &c), 0);
	finish(&c);
	/* New images: the spares of the old ones serve nobody. */
	spare_tick(p, 1, 0);
	assert_int_equal(spare_count(p), 2);
	assert_int_equal(spare_take(p, "go", 1, &c), -1);
	spare_tick(p, 1, 1);
	assert_int_equal(spare_count(p), 2);
	assert_int_equal(spare_take(p, "go", 1, &c), 0);
	finish(&c);
	/* Stopping: every spare goes to the reaper, which sees them exit. */
	spare_tick(p, 0, 1);
	assert_int_equal(spare_count(p), 0);
	spare_free(p);
	reap_free(r, 10000);
}

static void
test_died(void **state)
{
	struct reap *r = reap_new();
	struct spare_pool *p = spare_new(1, 0, fake_start, NULL, r);
	struct spare_child c;
	int i;

	(void)state;
	nstarted = 0;
	spare_learn(p, "python", "k");
	assert_int_equal(spare_take(p, "python", 0, &c), -1);
	spare_tick(p, 1, 0);
	assert_int_equal(spare_count(p), 1);
	/* The only spare is the last started: kill it, as a crash would. */
	spare_kill_all(p);
	for (i = 0; i < 200 && spare_count(p) > 0; i++) {
		usleep(10000);
		spare_tick(p, 1, 0);
		if (nstarted > 1)
			break;
	}
	/* Dropped, and not started again at once. */
	assert_int_equal(spare_count(p), 0);
	assert_int_equal(nstarted, 1);
	spare_free(p);
	reap_free(r, 10000);
}

/*
 * With reuse: no spare is started for a language while its judge is out,
 * a place is kept for it, and the judge that comes back with its box is
 * the language's spare; a full pool takes one back only in trade for a
 * language asked for much less.
 */
static void
test_back(void **state)
{
	struct reap *r = reap_new();
	struct spare_pool *p = spare_new(2, 1, fake_start, NULL, r);
	struct spare_child c, py, go;

	(void)state;
	nstarted = 0;
	spare_learn(p, "python", "k-py");
	spare_learn(p, "go", "k-go");
	spare_learn(p, "c", "k-c");
	/* A python judge goes out (no spare yet): the place kept for it leaves one. */
	assert_int_equal(spare_take(p, "python", 0, &py), -1);
	assert_int_equal(fake_start(NULL, "k-py", &py, NULL, 0), 0);
	assert_int_equal(spare_take(p, "go", 0, &go), -1);
	assert_int_equal(fake_start(NULL, "k-go", &go, NULL, 0), 0);
	assert_int_equal(spare_take(p, "c", 0, &c), -1);
	nstarted = 0;
	spare_tick(p, 1, 0);
	/* python, go and c are all out: nothing is started. */
	assert_int_equal(nstarted, 0);
	spare_done(p, "c");
	spare_tick(p, 1, 0);
	/* c came back without a box: but the two places are kept for python and go. */
	assert_int_equal(nstarted, 0);
	/* Both come back with their boxes, from images of now. */
	assert_int_equal(spare_back(p, "python", 0, 0, &py), 0);
	assert_int_equal(spare_back(p, "go", 0, 0, &go), 0);
	assert_int_equal(spare_count(p), 2);
	spare_tick(p, 1, 0);
	assert_int_equal(nstarted, 0);
	/* The next python submission gets that very judge. */
	assert_int_equal(spare_take(p, "python", 0, &c), 0);
	assert_int_equal(c.pid, py.pid);
	/* From older images it is not taken back. */
	assert_int_equal(spare_back(p, "python", 0, 1, &c), -1);
	finish(&c);
	/* A full pool (python, go): rust, asked for once as go was, is not taken back... */
	assert_int_equal(spare_take(p, "python", 0, &py), -1);
	assert_int_equal(fake_start(NULL, "k-py", &py, NULL, 0), 0);
	assert_int_equal(spare_back(p, "python", 0, 0, &py), 0);
	assert_int_equal(spare_count(p), 2);
	spare_learn(p, "rust", "k-rust");
	assert_int_equal(spare_take(p, "rust", 0, &c), -1);
	assert_int_equal(fake_start(NULL, "k-rust", &c, NULL, 0), 0);
	assert_int_equal(spare_back(p, "rust", 0, 0, &c), -1);
	finish(&c);
	/* ...but c, asked for twice as often as go now, takes go's place. */
	assert_int_equal(spare_take(p, "c", 0, &c), -1);
	assert_int_equal(fake_start(NULL, "k-c", &c, NULL, 0), 0);
	assert_int_equal(spare_back(p, "c", 0, 0, &c), 0);
	assert_int_equal(spare_count(p), 2);
	assert_int_equal(spare_take(p, "go", 0, &go), -1);
	spare_done(p, "go");
	assert_int_equal(spare_take(p, "c", 0, &c), 0);
	finish(&c);
	spare_free(p);
	reap_free(r, 10000);
}

/* Without a pool size nothing is ever started or taken. */
static void
test_off(void **state)
{
	struct reap *r = reap_new();
	struct spare_pool *p = spare_new(0, 0, fake_start, NULL, r);
	struct spare_child c;

	(void)state;
	nstarted = 0;
	spare_learn(p, "python", "k");
	assert_int_equal(spare_take(p, "python", 0, &c), -1);
	spare_tick(p, 1, 0);
	assert_int_equal(spare_count(p), 0);
	assert_int_equal(nstarted, 0);
	spare_free(p);
	reap_free(r, 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_died),
		cmocka_unit_test(test_back),
		cmocka_unit_test(test_off),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
