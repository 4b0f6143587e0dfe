/*
 * score.h - scored groups (PROTOCOL.md "groups"): which groups may run
 * given their dependencies, each test's score, each group's score and
 * status, and the submission's score out of its maximum.
 */
#ifndef SCRC_SCORE_H
#define SCRC_SCORE_H

#include "request.h"
#include "result.h"

/* A test's score when no checker gave one: 1 for OK, else 0. */
void	score_test(struct result_test *t);

/*
 * Whether group g may run: every group it depends on has been judged
 * (res->tests of their tests not "-" unless skipped) and scored its full
 * points. done[i] says group i was judged (or skipped).
 */
int	score_group_ready(const struct request *req, const struct result *res, size_t g);

/* The score of group g from its tests' scores in res (points x policy). */
double	score_group(const struct request *req, const struct result *res, size_t g);

/*
 * Fills res->groups, res->score, res->max_score and res->scored from the
 * judged tests (a group whose tests were not run scores 0, status "-").
 */
void	score_finish(const struct request *req, struct result *res);

#endif
