/*
 * judge.h - judging one submission: resolve the language profile, apply
 * limits and ceilings, build once, run every test in a box, and classify
 * each outcome into a verdict.
 */
#ifndef SCRC_JUDGE_H
#define SCRC_JUDGE_H

#include <stdint.h>

#include "docker.h"
#include "lang.h"
#include "request.h"
#include "result.h"

/* The limits a submission is judged under, after defaults and ceilings. */
struct judge_limits {
	int64_t	time_ms;	/* CPU time per test */
	int64_t	wall_ms;	/* wall time per test */
	int64_t	memory_bytes;	/* memory per test */
};

/* Computes the effective limits from the request and the configuration. */
void	judge_limits(const struct request *req, struct judge_limits *out);

/* What the profile and limits say about one finished run. */
struct judge_outcome {
	int64_t			 memory_allowed;	/* limit + runtime overhead */
	const char *const	*oom_patterns;		/* NULL-terminated, or NULL */
	int64_t			 time_ms;
};

/*
 * Maps a finished run to OK/WA/TL/ML/RE/OL: limits first (OL, ML, TL), then
 * the exit status (RE), then the checker (accepted: 1 OK, 0 WA; pass -1 when
 * there is nothing to compare, which means OK). errbuf receives a short
 * reason for non-OK statuses ("" otherwise).
 */
enum result_status judge_classify(const struct docker_exec_result *run,
	    const struct judge_outcome *o, int accepted, char *errbuf, size_t errbuf_size);

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

#endif
