/*
 * judge.h - judging one submission: plan, build once, run every test in
 * a box, check each output, score the groups.
 */
#ifndef SCRC_JUDGE_H
#define SCRC_JUDGE_H

#include "lang.h"
#include "request.h"
#include "result.h"

/*
 * Judges req with the profiles in langs and fills res (initialised here;
 * the caller frees it with result_free). Returns 0 when res holds a verdict
 * (including IE for a submission that cannot be judged, such as an unknown
 * language), or -1 when the infrastructure failed (Docker unreachable, a
 * box died): res then holds an IE result whose error says why, and the
 * caller may try again later.
 */
int	judge_submission(const struct lang_set *langs, const struct request *req,
	    struct result *res);

/*
 * judge_submission returns with its boxes told to go but not yet gone (the
 * daemon removes them meanwhile), so that the verdict can be handed on
 * first; this waits until they are gone (removing by force those that did
 * not go by themselves) and removes the interaction volume. Call it after
 * every judge_submission, before the next and before exiting.
 */
void	judge_release(void);

#endif
