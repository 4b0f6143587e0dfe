/*
 * test_plan.c - the limits a submission and a problem setter's program are
 * judged under: defaults, the profile's factors, ceilings, saturation.
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
#include "docker.h"
#include "lang.h"
#include "plan.h"

#define MiB (1024LL * 1024)

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
		struct plan_limits lim;

		memset(&req, 0, sizeof req);
		req.time_limit_ms = c->req_time;
		req.memory_limit_bytes = c->req_mem;
		req.wall_time_limit_ms = c->req_wall;
		plan_limits(&req, NULL, &lim);
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
	struct plan_limits lim;

	(void)state;
	conf.max_time_ms = INT64_MAX;
	conf.max_wall_ms = INT64_MAX;
	memset(&req, 0, sizeof req);
	req.time_limit_ms = 4611686018427387904LL;	/* 2^62: 2t + 1000 overflows */
	plan_limits(&req, NULL, &lim);
	assert_int_equal(lim.time_ms, 4611686018427387904LL);
	assert_int_equal(lim.wall_ms, INT64_MAX);
	req.time_limit_ms = INT64_MAX;
	plan_limits(&req, NULL, &lim);
	assert_int_equal(lim.wall_ms, INT64_MAX);
	conf.max_time_ms = max_time;
	conf.max_wall_ms = max_wall;
}

/* A profile's factors scale what was asked (or the default), then the ceilings apply. */
static void
test_factors(void **state)
{
	struct lang_profile lp;
	struct request req;
	struct plan_limits lim;

	(void)state;
	memset(&lp, 0, sizeof lp);
	memset(&req, 0, sizeof req);
	lp.time_factor_milli = 2000;
	lp.memory_factor_milli = 1500;
	req.time_limit_ms = 1000;
	req.memory_limit_bytes = 64 * MiB;
	plan_limits(&req, &lp, &lim);
	assert_int_equal(lim.time_ms, 2000);
	assert_int_equal(lim.memory_bytes, 96 * MiB);
	assert_int_equal(lim.wall_ms, 5000);
	/* The default is scaled too. */
	req.time_limit_ms = 0;
	plan_limits(&req, &lp, &lim);
	assert_int_equal(lim.time_ms, 4000);
	/* Scaled past the ceiling: the ceiling (20 s). */
	req.time_limit_ms = 15000;
	plan_limits(&req, &lp, &lim);
	assert_int_equal(lim.time_ms, 20000);
	/* A factor below 1 gives less. */
	lp.time_factor_milli = 500;
	req.time_limit_ms = 1000;
	plan_limits(&req, &lp, &lim);
	assert_int_equal(lim.time_ms, 500);
	/* Huge values saturate instead of wrapping. */
	lp.time_factor_milli = 100000;
	conf.max_time_ms = INT64_MAX;
	req.time_limit_ms = INT64_MAX / 2;
	plan_limits(&req, &lp, &lim);
	assert_int_equal(lim.time_ms, INT64_MAX);
	conf_defaults();
}

static void
test_setter_limits(void **state)
{
	struct request_program p;
	struct plan_limits lim;

	(void)state;
	memset(&p, 0, sizeof p);
	plan_setter_limits(&p, &lim);
	assert_int_equal(lim.time_ms, PLAN_SETTER_TIME_MS);
	assert_int_equal(lim.memory_bytes, PLAN_SETTER_MEMORY);
	assert_int_equal(lim.wall_ms, 2 * PLAN_SETTER_TIME_MS + 1000);
	p.time_limit_ms = 1000;
	p.memory_limit_bytes = 64 * MiB;
	plan_setter_limits(&p, &lim);
	assert_int_equal(lim.time_ms, 1000);
	assert_int_equal(lim.memory_bytes, 64 * MiB);
}

/*
 * A run box's extras (artifacts + inputs) go by classes, so that boxes of
 * submissions alike have one key (docker_spec_key) and one started ahead
 * serves them all; a bigger need still gets a bigger box.
 */
static void
test_run_box_classes(void **state)
{
	struct lang_profile lp;
	struct plan_limits lim;
	struct docker_box_spec a, b, c, d;
	char *ka, *kb, *kc;

	(void)state;
	memset(&lp, 0, sizeof lp);
	lp.run_image = "img";
	lp.workdir = "/box";
	lp.memory_overhead_bytes = 8 * MiB;
	memset(&lim, 0, sizeof lim);
	lim.memory_bytes = 64 * MiB;
	plan_run_box(&lp, "s1", "run", &lim, 1000, 20, 1, &a);
	plan_run_box(&lp, "s2", "run", &lim, 3 * MiB, 5 * MiB, 1, &b);
	plan_run_box(&lp, "s3", "run", &lim, 10 * MiB, 7 * MiB, 1, &c);
	assert_int_equal(a.workdir_bytes, conf.workdir_bytes + 16 * MiB);
	assert_int_equal(a.memory_bytes, 64 * MiB + 8 * MiB + 16 * MiB + 16 * MiB);
	assert_int_equal(a.allowance, 72 * MiB);
	assert_int_equal(c.workdir_bytes, conf.workdir_bytes + 32 * MiB);
	ka = docker_spec_key(&a);
	kb = docker_spec_key(&b);
	kc = docker_spec_key(&c);
	assert_non_null(ka);
	assert_string_equal(ka, kb);
	assert_string_not_equal(ka, kc);
	/* The allowance told at creation is part of the box. */
	plan_run_box(&lp, "s4", "run", &lim, 1000, 20, 0, &d);
	free(kc);
	kc = docker_spec_key(&d);
	assert_string_not_equal(ka, kc);
	/* Huge inputs saturate rather than wrap. */
	plan_run_box(&lp, "s5", "run", &lim, INT64_MAX, INT64_MAX, 1, &d);
	assert_true(d.workdir_bytes > 0 && d.memory_bytes > 0);
	free(ka);
	free(kb);
	free(kc);
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
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_limits_saturate),
		cmocka_unit_test(test_factors),
		cmocka_unit_test(test_setter_limits),
		cmocka_unit_test(test_run_box_classes),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
