/*
 * test_verdict.c - verdict classification (one row per case, including
 * the ones where several limits fire at once) and testlib exit codes.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf.h"
#include "verdict.h"

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
	int			 pids_hit;	/* a fork failed at the pids limit */
	const char		*why;		/* a part of the reason, or NULL */
};

static const char *java_oom[] = { "java.lang.OutOfMemoryError", NULL };

static const struct classify_case classify_cases[] = {
	{ "clean exit, accepted", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0, "", 1, RESULT_OK, 0, 0, NULL },
	{ "clean exit, no expectation", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0, "",
	  -1, RESULT_OK, 0, 0, NULL },
	{ "clean exit, rejected", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0, "", 0, RESULT_WA, 0, 0, NULL },
	{ "non-zero exit", 1, 3, 0, 10, 1 * MiB, 0, 0, 0, 0, "", -1, RESULT_RE, 0, 0, NULL },
	{ "segfault", 0, 0, 11, 10, 1 * MiB, 0, 0, 0, 0, "", -1, RESULT_RE, 0, 0, NULL },
	{ "killed for cpu", 0, 0, 9, 1001, 1 * MiB, 0, 1, 0, 0, "", -1, RESULT_TL, 0, 0, NULL },
	{ "killed for wall (sleeper)", 0, 0, 9, 2, 1 * MiB, 0, 0, 1, 0, "",
	  -1, RESULT_TL, 0, 0, NULL },
	{ "cpu over limit, exited", 1, 0, 0, 1200, 1 * MiB, 0, 0, 0, 0, "",
	  1, RESULT_TL, 0, 0, NULL },
	{ "oom kill", 0, 0, 9, 50, 64 * MiB, 1, 0, 0, 0, "", -1, RESULT_ML, 0, 0, NULL },
	{ "oom kill beats cpu", 0, 0, 9, 1001, 64 * MiB, 1, 1, 0, 0, "",
	  -1, RESULT_ML, 0, 0, NULL },
	{ "peak over limit", 1, 0, 0, 50, 65 * MiB, 0, 0, 0, 0, "", 1, RESULT_ML, 0, 0, NULL },
	{ "java OutOfMemoryError", 1, 1, 0, 50, 30 * MiB, 0, 0, 0, 0,
	  "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space", -1,
	  RESULT_ML, 0, 0, NULL },
	{ "output flood", 0, 0, 9, 50, 1 * MiB, 0, 0, 0, 1, "", -1, RESULT_OL, 0, 0, NULL },
	{ "output flood beats oom", 0, 0, 9, 50, 64 * MiB, 1, 0, 0, 1, "",
	  -1, RESULT_OL, 0, 0, NULL },
	{ "exit code with WA output", 1, 1, 0, 10, 1 * MiB, 0, 0, 0, 0, "",
	  0, RESULT_RE, 0, 0, NULL },
	/* The runtime's OOM message counts only for a run that failed. */
	{ "OOM text on stderr, exit 0, accepted", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0,
	  "java.lang.OutOfMemoryError", 1, RESULT_OK, 0, 0, NULL },
	{ "OOM text on stderr, exit 0, rejected", 1, 0, 0, 10, 1 * MiB, 0, 0, 0, 0,
	  "java.lang.OutOfMemoryError", 0, RESULT_WA, 0, 0, NULL },
	{ "OOM text on stderr, killed by a signal", 0, 0, 6, 10, 1 * MiB, 0, 0, 0, 0,
	  "java.lang.OutOfMemoryError", -1, RESULT_ML, 0, 0, NULL },
	{ "killed by scrc-box over the allowance", 0, 0, 9, 10, 60 * MiB, 0, 0, 0, 0, "", -1,
	  RESULT_ML, 1, 0, NULL },
	{ "allowance hit beats cpu", 0, 0, 9, 1001, 60 * MiB, 0, 1, 0, 0, "",
	  -1, RESULT_ML, 1, 0, NULL },
	/* A JVM out of threads says OutOfMemoryError: the pids limit tells. */
	{ "java thread bomb: OOM text, pids limit hit", 1, 1, 0, 120, 44 * MiB, 0, 0, 0, 0,
	  "java.lang.OutOfMemoryError: unable to create native thread", -1, RESULT_RE, 0, 1,
	  "exit code 1 (the process and thread limit was reached)" },
	{ "OOM text, pids hit, but memory over the allowance", 1, 1, 0, 120, 70 * MiB, 0, 0, 0,
	  0, "java.lang.OutOfMemoryError: Java heap space", -1, RESULT_ML, 0, 1, "memory" },
	{ "OOM text and the OOM killer, pids hit", 0, 0, 9, 120, 64 * MiB, 1, 0, 0,
	  0, "java.lang.OutOfMemoryError", -1, RESULT_ML, 0, 1, "OOM killer" },
	{ "fork bomb stopped for cpu", 0, 0, 9, 1001, 2 * MiB, 0, 1, 0, 0, "", -1, RESULT_TL,
	  0, 1, "time limit exceeded (the process and thread limit was reached)" },
	{ "fork bomb that gave up", 1, 2, 0, 100, 2 * MiB, 0, 0, 0, 0, "", -1, RESULT_RE, 0, 1,
	  "exit code 2 (the process" },
	{ "plain RE says nothing of pids", 1, 3, 0, 10, 1 * MiB, 0, 0, 0, 0, "", -1, RESULT_RE,
	  0, 0, "exit code 3" },
};

static void
test_classify(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof classify_cases / sizeof classify_cases[0]; i++) {
		const struct classify_case *c = &classify_cases[i];
		struct docker_exec_result run;
		struct verdict_limits o;
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
		run.pids_limit_hit = c->pids_hit;
		buf_init(&run.err);
		buf_puts(&run.err, c->stderr_text);
		memset(&o, 0, sizeof o);
		o.memory_allowed = 64 * MiB;
		o.time_ms = 1000;
		o.oom_patterns = java_oom;
		got = verdict_classify(&run, &o, c->accepted, why, sizeof why);
		buf_free(&run.err);
		if (got != c->want)
			fail_msg("%s: got %s, want %s", c->name, result_status_name(got),
			    result_status_name(c->want));
		if (got != RESULT_OK && why[0] == '\0')
			fail_msg("%s: no reason given for %s", c->name, result_status_name(got));
		if (c->why != NULL && strstr(why, c->why) == NULL)
			fail_msg("%s: reason \"%s\" lacks \"%s\"", c->name, why, c->why);
		if (!c->pids_hit && strstr(why, "process and thread") != NULL)
			fail_msg("%s: reason \"%s\" names a limit not hit", c->name, why);
	}
}

struct testlib_case {
	int		 code;
	const char	*msg;
	enum result_status want;
	double		 score;
	const char	*checker_status;
};

static const struct testlib_case testlib_cases[] = {
	{ 0, "ok 3 numbers", RESULT_OK, 1, "OK" },
	{ 1, "wrong answer expected 5, found 6", RESULT_WA, 0, "WA" },
	{ 2, "wrong output format", RESULT_WA, 0, "PE" },
	{ 3, "FAIL answer file is broken", RESULT_IE, 0, "FAIL" },
	{ 4, "", RESULT_IE, 0, "FAIL" },
	{ 42, "", RESULT_IE, 0, "FAIL" },
	{ 7, "points 0.25 a quarter", RESULT_WA, 0.25, "PARTIAL" },
	{ 7, "partially correct: points=0.5", RESULT_WA, 0.5, "PARTIAL" },
	{ 7, "points 1", RESULT_OK, 1, "OK" },
	{ 7, "points 7.5", RESULT_OK, 1, "OK" },		/* clamped */
	{ 7, "points -2", RESULT_WA, 0, "PARTIAL" },	/* clamped */
	{ 7, "points nan", RESULT_IE, 0, "FAIL" },
	{ 7, "no number here", RESULT_IE, 0, "FAIL" },
	{ 7, "points", RESULT_IE, 0, "FAIL" },
};

static void
test_testlib(void **state)
{
	struct verdict_testlib v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof testlib_cases / sizeof testlib_cases[0]; i++) {
		const struct testlib_case *c = &testlib_cases[i];

		verdict_testlib(c->code, c->msg, strlen(c->msg), &v);
		if (v.status != c->want || v.score != c->score ||
		    strcmp(v.checker_status, c->checker_status) != 0)
			fail_msg("exit %d \"%s\": got %s %g %s, want %s %g %s", c->code, c->msg,
			    result_status_name(v.status), v.score, v.checker_status,
			    result_status_name(c->want), c->score, c->checker_status);
	}
	/* The message need not be NUL-terminated: only its bytes count. */
	verdict_testlib(7, "points 0.5xx", 10, &v);
	assert_true(v.score == 0.5);
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
		cmocka_unit_test(test_testlib),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
