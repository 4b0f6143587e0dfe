/*
 * test_score.c - scored groups: both policies, partial test scores,
 * dependencies that hold a group back, and what the result carries.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "request.h"
#include "score.h"

/* A request of three groups over six tests, parsed as a record would be. */
static const char groups_record[] =
    "{\"language\": \"c\", \"source\": \"x\", \"tests\": ["
    "{\"number\": 1}, {\"number\": 2}, {\"number\": 3}, {\"number\": 4},"
    "{\"number\": 5}, {\"number\": 6}],"
    "\"groups\": [{\"name\": \"g1\", \"points\": 30, \"tests\": [1, 2]},"
    "{\"name\": \"g2\", \"points\": 30, \"tests\": [3, 4], \"policy\": \"sum\","
    " \"depends\": [\"g1\"]},"
    "{\"name\": \"g3\", \"points\": 40, \"tests\": [5, 6], \"policy\": \"sum\"}]}";

static void
make(struct request *req, struct result *res, const enum result_status *st)
{
	char err[256];
	size_t i;

	assert_int_equal(request_parse(groups_record, strlen(groups_record), "k", req, err,
	    sizeof err), 0);
	result_init(res, "k");
	for (i = 0; i < req->ntests; i++)
		result_add_test(res, req->tests[i].number)->status = st[i];
}

static void
test_full_and_partial(void **state)
{
	enum result_status st[6] = { RESULT_OK, RESULT_OK, RESULT_OK, RESULT_WA, RESULT_OK,
	    RESULT_TL };
	struct request req;
	struct result res;

	(void)state;
	make(&req, &res, st);
	assert_true(score_group_ready(&req, &res, 1));	/* g1 is full */
	score_finish(&req, &res);
	assert_true(res.scored);
	assert_int_equal(res.ngroups, 3);
	assert_true(res.groups[0].score == 30 && res.groups[0].status == RESULT_OK);
	assert_true(res.groups[1].score == 15 && res.groups[1].status == RESULT_WA);
	assert_true(res.groups[2].score == 20 && res.groups[2].status == RESULT_TL);
	assert_true(res.score == 65 && res.max_score == 100);
	assert_true(res.tests[3].scored && res.tests[3].score == 0);
	result_free(&res);
	request_free(&req);
}

static void
test_dependency_not_full(void **state)
{
	enum result_status st[6] = { RESULT_OK, RESULT_WA, RESULT_NOT_RUN, RESULT_NOT_RUN,
	    RESULT_OK, RESULT_OK };
	struct request req;
	struct result res;

	(void)state;
	make(&req, &res, st);
	/* g1 has a WA under policy min: g2 may not run. */
	assert_false(score_group_ready(&req, &res, 1));
	assert_true(score_group_ready(&req, &res, 2));
	score_finish(&req, &res);
	assert_true(res.groups[0].score == 0 && res.groups[0].status == RESULT_WA);
	assert_true(res.groups[1].score == 0 && res.groups[1].status == RESULT_NOT_RUN);
	assert_true(res.groups[2].score == 40);
	assert_true(res.score == 40);
	/* Tests not run carry no score. */
	assert_false(res.tests[2].scored);
	result_free(&res);
	request_free(&req);
}

/* A checker's fractions: min takes the lowest, sum the mean. */
static void
test_fractions(void **state)
{
	enum result_status st[6] = { RESULT_OK, RESULT_WA, RESULT_WA, RESULT_WA, RESULT_OK,
	    RESULT_OK };
	struct request req;
	struct result res;

	(void)state;
	make(&req, &res, st);
	res.tests[1].scored = 1;
	res.tests[1].score = 0.5;
	res.tests[2].scored = 1;
	res.tests[2].score = 0.5;
	res.tests[3].scored = 1;
	res.tests[3].score = 0.25;
	assert_true(score_group(&req, &res, 0) == 15);		/* 30 x min(1, 0.5) */
	assert_true(score_group(&req, &res, 1) == 30 * 0.375);	/* 30 x mean(0.5, 0.25) */
	assert_false(score_group_ready(&req, &res, 1));
	result_free(&res);
	request_free(&req);
}

/* A test's own score: 1 for OK, else 0, unless a checker set one. */
static void
test_test_score(void **state)
{
	struct result_test t;

	(void)state;
	memset(&t, 0, sizeof t);
	t.status = RESULT_OK;
	score_test(&t);
	assert_true(t.scored && t.score == 1);
	t.scored = 0;
	t.status = RESULT_RE;
	score_test(&t);
	assert_true(t.score == 0);
	t.scored = 1;
	t.score = 0.75;
	score_test(&t);
	assert_true(t.score == 0.75);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_and_partial),
		cmocka_unit_test(test_dependency_not_full),
		cmocka_unit_test(test_fractions),
		cmocka_unit_test(test_test_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
