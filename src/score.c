/*
 * score.c - points of scored groups. A test scores 1 for OK, a checker's
 * fraction for a partial answer, else 0; a group scores its points times
 * the lowest (policy "min") or the mean (policy "sum") of its tests'
 * scores; the submission scores the sum over groups.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "score.h"
#include "util.h"

/* Group scores are compared for "full" with this slack (sums of fractions). */
#define SCORE_EPS	1e-9

void
score_test(struct result_test *t)
{
	if (t->scored)
		return;
	t->scored = 1;
	t->score = t->status == RESULT_OK ? 1 : 0;
}

double
score_group(const struct request *req, const struct result *res, size_t g)
{
	const struct request_group *rg = &req->groups[g];
	double lo = 1, sum = 0, s;
	size_t i;

	for (i = 0; i < rg->ntests; i++) {
		const struct result_test *t = &res->tests[rg->tests[i]];

		s = t->scored ? t->score : t->status == RESULT_OK ? 1 : 0;
		if (s < lo)
			lo = s;
		sum += s;
	}
	if (rg->ntests == 0)
		return 0;
	return rg->points * (rg->policy == REQUEST_POLICY_SUM ? sum / (double)rg->ntests : lo);
}

int
score_group_ready(const struct request *req, const struct result *res, size_t g)
{
	const struct request_group *rg = &req->groups[g];
	size_t i;

	for (i = 0; i < rg->ndepends; i++) {
		size_t d = rg->depends[i];

		if (score_group(req, res, d) < req->groups[d].points - SCORE_EPS)
			return 0;
	}
	return 1;
}

void
score_finish(const struct request *req, struct result *res)
{
	size_t g, i;

	res->scored = 1;
	res->score = 0;
	res->max_score = 0;
	for (i = 0; i < res->ntests; i++)
		if (res->tests[i].status != RESULT_NOT_RUN)
			score_test(&res->tests[i]);
	res->groups = xcalloc(req->ngroups > 0 ? req->ngroups : 1, sizeof *res->groups);
	res->ngroups = req->ngroups;
	for (g = 0; g < req->ngroups; g++) {
		const struct request_group *rg = &req->groups[g];
		struct result_group *out = &res->groups[g];

		out->name = xstrdup(rg->name);
		out->points = rg->points;
		out->score = score_group(req, res, g);
		out->status = RESULT_OK;
		for (i = 0; i < rg->ntests; i++) {
			enum result_status st = res->tests[rg->tests[i]].status;

			if (st != RESULT_OK) {
				out->status = st;
				break;
			}
		}
		res->score += out->score;
		res->max_score += rg->points;
	}
}
