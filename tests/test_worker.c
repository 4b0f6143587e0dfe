/*
 * test_worker.c - the parts of the worker that need no broker and no child:
 * the watchdog on one judging attempt, computed from a submission's
 * (untrusted) limits after the configured defaults and ceilings, which must
 * never overflow into a deadline that has already passed. One cmocka test
 * per table row.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf.h"
#include "util.h"
#include "worker.h"

#include "rows.h"

/*
 * With the defaults (2 s time, 20 s time ceiling, 60 s wall ceiling) the
 * watchdog is 120 s + (tests + 2) * (wall + 2 s). A ceiling of 0 in a row
 * keeps the default one.
 */
struct watchdog_case {
	const char	*name;
	int64_t		 max_time_ms, max_wall_ms;	/* conf ceilings; 0 = default */
	int64_t		 time_ms, wall_ms;		/* as requested; 0 = none */
	size_t		 ntests;
	int64_t		 want;
};

#define W(tests, wall)	(120000 + ((int64_t)(tests) + 2) * ((int64_t)(wall) + 2000))

static const struct watchdog_case watchdog_cases[] = {
	{ "defaults, no tests", 0, 0, 0, 0, 0, W(0, 5000) },
	{ "1 s, 3 tests: wall 2 * 1 s + 1 s", 0, 0, 1000, 0, 3, W(3, 3000) },
	{ "wall given below the derived one", 0, 0, 1000, 100, 3, W(3, 100) },
	{ "wall given above the ceiling", 0, 0, 0, 4611686018427387904LL, 3, W(3, 60000) },
	/* The fuzzed record: 2 * t + 1000 overflowed before the ceiling applied. */
	{ "time 2^62: clamped first", 0, 0, 4611686018427387904LL, 0, 3, W(3, 41000) },
	{ "time INT64_MAX", 0, 0, INT64_MAX, 0, 3, W(3, 41000) },
	{ "time and wall INT64_MAX", 0, 0, INT64_MAX, INT64_MAX, 3, W(3, 60000) },
	{ "1000000 tests at the wall ceiling", 0, 0, 0, INT64_MAX, 1000000,
	    W(1000000, 60000) },
	{ "ceilings INT64_MAX, time 1 s", INT64_MAX, INT64_MAX, 1000, 0, 3, W(3, 3000) },
	{ "ceilings INT64_MAX, time 2^62: saturates", INT64_MAX, INT64_MAX,
	    4611686018427387904LL, 0, 3, INT64_MAX },
	{ "ceilings INT64_MAX, time 2^61, no tests: saturates", INT64_MAX, INT64_MAX,
	    2305843009213693952LL, 0, 0, INT64_MAX },
	{ "ceilings INT64_MAX, wall INT64_MAX", INT64_MAX, INT64_MAX, 0, INT64_MAX, 0,
	    INT64_MAX },
	{ "wall ceiling INT64_MAX, many tests: saturates", 0, INT64_MAX, 0,
	    INT64_MAX / 4, 10, INT64_MAX },
	{ "SIZE_MAX tests: saturates", 0, 0, 0, 0, SIZE_MAX, INT64_MAX },
};

static void
test_watchdog(void **state)
{
	const struct watchdog_case *c = *state;
	int64_t got;

	conf_defaults();
	if (c->max_time_ms > 0)
		conf.max_time_ms = c->max_time_ms;
	if (c->max_wall_ms > 0)
		conf.max_wall_ms = c->max_wall_ms;
	got = worker_watchdog_ms(c->time_ms, c->wall_ms, c->ntests);
	if (got != c->want)
		fail_msg("watchdog %lld ms, want %lld ms", (long long)got, (long long)c->want);
	/* Added to the clock, it must still be a deadline in the future. */
	assert_true(got > 0);
	assert_true(util_add_sat(util_now_ms(), got) > util_now_ms());
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof watchdog_cases / sizeof watchdog_cases[0]; i++)
		add(watchdog_cases[i].name, test_watchdog, &watchdog_cases[i]);
	return _cmocka_run_group_tests("worker", all, nall, NULL, NULL);
}
