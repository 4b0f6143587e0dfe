/*
 * test_judge.c - verdict classification and effective limits: one row per
 * case, including the ones where several limits fire at once.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf.h"
#include "judge.h"

#define MiB (1024LL * 1024)

struct classify_case {
	const char		*name;
	int			 exited, exit_code, sig;
	int64_t			 cpu_ms, memory;
	int			 oom, cpu_hit, wall_hit, out_hit;
	const char		*stderr_text;
	int			 accepted;
	enum result_status	 want;
	int			 mem_hit;	/* killed by scrc-box over the allowance */
};

static const char *java_oom[] = { "java.lang.OutOfMemoryError", NULL };

static const struct classify_case classify_cases[] = {
	{ "clean exit, accepted", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0, "", 1, RESULT_OK, 0 },
	{ "clean exit, no expectation", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0, "", -1, RESULT_OK, 0 },
	{ "clean exit, rejected", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0, "", 0, RESULT_WA, 0 },
	{ "non-zero exit", 1, 3, 0, 10, 1 * MiB, 0, 0, 0, 0, "", -1, RESULT_RE, 0 },
	{ "segfault", 0, 0, 11, 10, 1 * MiB, 0, 0, 0, 0, "", -1, RESULT_RE, 0 },
	{ "killed for cpu", 0, 0, 9, 1001, 1 * MiB, 0, 1, 0, 0, "", -1, RESULT_TL, 0 },
	{ "killed for wall (sleeper)", 0, 0, 9, 2, 1 * MiB, 0, 0, 1, 0, "", -1, RESULT_TL, 0 },
	{ "cpu over limit, exited", 1, 0, 0, 1200, 1 * MiB, 0, 0, 0, 0, "", 1, RESULT_TL, 0 },
	{ "oom kill", 0, 0, 9, 50, 64 * MiB, 1, 0, 0, 0, "", -1, RESULT_ML, 0 },
	{ "oom kill beats cpu", 0, 0, 9, 1001, 64 * MiB, 1, 1, 0, 0, "", -1, RESULT_ML, 0 },
	{ "peak over limit", 1, 0, 0, 50, 65 * MiB, 0, 0, 0, 0, "", 1, RESULT_ML, 0 },
	{ "java OutOfMemoryError", 1, 1, 0, 50, 30 * MiB, 0, 0, 0, 0,
	  "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space", -1,
	  RESULT_ML, 0 },
	{ "output flood", 0, 0, 9, 50, 1 * MiB, 0, 0, 0, 1, "", -1, RESULT_OL, 0 },
	{ "output flood beats oom", 0, 0, 9, 50, 64 * MiB, 1, 0, 0, 1, "", -1, RESULT_OL, 0 },
	{ "exit code with WA output", 1, 1, 0, 10, 1 * MiB, 0, 0, 0, 0, "", 0, RESULT_RE, 0 },
	/* The runtime's OOM message counts only for a run that failed. */
	{ "OOM text on stderr, exit 0, accepted", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0,
	  "java.lang.OutOfMemoryError", 1, RESULT_OK, 0 },
	{ "OOM text on stderr, exit 0, rejected", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0,
	  "java.lang.OutOfMemoryError", 0, RESULT_WA, 0 },
	{ "OOM text on stderr, killed by a signal", 0, 0, 6, 10, 1 * MiB, 0, 0, 0, 0,
	  "java.lang.OutOfMemoryError", -1, RESULT_ML, 0 },
	{ "killed by scrc-box over the allowance", 0, 0, 9, 10, 60 * MiB, 0, 0, 0, 0, "", -1,
	  RESULT_ML, 1 },
	{ "allowance hit beats cpu", 0, 0, 9, 1001, 60 * MiB, 0, 1, 0, 0, "", -1, RESULT_ML, 1 },
};

static void
test_classify(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof classify_cases / sizeof classify_cases[0]; i++) {
		const struct classify_case *c = &classify_cases[i];
		struct docker_exec_result run;
		struct judge_outcome o;
		enum result_status got;
		char why[256];

		memset(&run, 0, sizeof run);
		run.exited = c->exited;
		run.exit_code = c->exit_code;
		run.signal = c->sig;
		run.cpu_ms = c->cpu_ms;
		run.memory_bytes = c->memory;
		run.oom_killed = c->oom;
		run.cpu_limit_hit = c->cpu_hit;
		run.wall_limit_hit = c->wall_hit;
		run.output_limit_hit = c->out_hit;
		run.mem_limit_hit = c->mem_hit;
		buf_init(&run.err);
		buf_puts(&run.err, c->stderr_text);
		memset(&o, 0, sizeof o);
		o.memory_allowed = 64 * MiB;
		o.time_ms = 1000;
		o.oom_patterns = java_oom;
		got = judge_classify(&run, &o, c->accepted, why, sizeof why);
		buf_free(&run.err);
		if (got != c->want)
			fail_msg("%s: got %s, want %s", c->name, result_status_name(got),
			    result_status_name(c->want));
		if (got != RESULT_OK && why[0] == '\0')
			fail_msg("%s: no reason given for %s", c->name, result_status_name(got));
	}
}

struct limits_case {
	int64_t	req_time, req_mem, req_wall;
	int64_t	want_time, want_mem, want_wall;
};

static const struct limits_case limits_cases[] = {
	/* defaults: 2 s, 256 MiB; wall = 2 * time + 1000 */
	{ 0, 0, 0, 2000, 256 * MiB, 5000 },
	{ 1000, 64 * MiB, 0, 1000, 64 * MiB, 3000 },
	{ 1000, 64 * MiB, 1500, 1000, 64 * MiB, 1500 },
	/* ceilings: 20 s CPU, 60 s wall, 2 GiB */
	{ 1000000000000LL, 0, 0, 20000, 256 * MiB, 41000 },
	{ 30000, 0, 0, 20000, 256 * MiB, 41000 },
	{ 0, 1LL << 40, 0, 2000, 2048 * MiB, 5000 },
	{ 0, 0, 1000000000LL, 2000, 256 * MiB, 60000 },
	/* a memory limit too small for any runtime is raised to the floor */
	{ 0, 1, 0, 2000, 4 * MiB, 5000 },
};

static void
test_limits(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof limits_cases / sizeof limits_cases[0]; i++) {
		const struct limits_case *c = &limits_cases[i];
		struct request req;
		struct judge_limits lim;

		memset(&req, 0, sizeof req);
		req.time_limit_ms = c->req_time;
		req.memory_limit_bytes = c->req_mem;
		req.wall_time_limit_ms = c->req_wall;
		judge_limits(&req, &lim);
		if (lim.time_ms != c->want_time || lim.memory_bytes != c->want_mem ||
		    lim.wall_ms != c->want_wall)
			fail_msg("case %zu: got %lld/%lld/%lld", i, (long long)lim.time_ms,
			    (long long)lim.memory_bytes, (long long)lim.wall_ms);
	}
}

/* Ceilings configured as large as the settings allow: the wall limit saturates. */
static void
test_limits_saturate(void **state)
{
	int64_t max_time = conf.max_time_ms, max_wall = conf.max_wall_ms;
	struct request req;
	struct judge_limits lim;

	(void)state;
	conf.max_time_ms = INT64_MAX;
	conf.max_wall_ms = INT64_MAX;
	memset(&req, 0, sizeof req);
	req.time_limit_ms = 4611686018427387904LL;	/* 2^62: 2t + 1000 overflows */
	judge_limits(&req, &lim);
	assert_int_equal(lim.time_ms, 4611686018427387904LL);
	assert_int_equal(lim.wall_ms, INT64_MAX);
	req.time_limit_ms = INT64_MAX;
	judge_limits(&req, &lim);
	assert_int_equal(lim.wall_ms, INT64_MAX);
	conf.max_time_ms = max_time;
	conf.max_wall_ms = max_wall;
}

static int
setup(void **state)
{
	(void)state;
	conf_defaults();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_limits_saturate),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
