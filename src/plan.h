/*
 * plan.h - the plan of one submission before anything runs: the limits
 * applied (defaults, the profile's factors, the server's ceilings) and the
 * size of each box (memory, tmpfs, processes).
 */
#ifndef SCRC_PLAN_H
#define SCRC_PLAN_H

#include <stdint.h>

#include "docker.h"
#include "lang.h"
#include "request.h"

#define PLAN_MiB		(1024LL * 1024)
/* A problem setter's program's limits unless the record says otherwise. */
#define PLAN_SETTER_TIME_MS	10000
#define PLAN_SETTER_MEMORY	(512 * PLAN_MiB)

/* The limits one program is judged under. */
struct plan_limits {
	int64_t	time_ms;	/* CPU time per test */
	int64_t	wall_ms;	/* wall time per test */
	int64_t	memory_bytes;	/* memory per test */
};

/*
 * The submission's limits: the request's (0: the configured default) times
 * the profile's factors (lp may be NULL: factors of 1), held to the
 * configured ceilings and a 4 MiB floor; wall time defaults to
 * 2 x time + 1 s.
 */
void	plan_limits(const struct request *req, const struct lang_profile *lp,
	    struct plan_limits *out);

/* A problem setter's program's limits (default 10 s, 512 MiB), ceilings applied. */
void	plan_setter_limits(const struct request_program *p, struct plan_limits *out);

/*
 * The box a program runs in: image, limits, room for its artifacts
 * (artifact_bytes) and for the largest file it is given (max_io: a test
 * input, or a checker's three files), role for its name and labels.
 * allowance_known: every run's allowance is fixed now (no build in this
 * box), so scrc-box takes its reserve at start.
 */
void	plan_run_box(const struct lang_profile *lp, const char *submission_id,
	    const char *role, const struct plan_limits *lim, int64_t artifact_bytes,
	    int64_t max_io, int allowance_known, struct docker_box_spec *spec);

/* The box a build runs in (its profile's build image and limits). */
void	plan_build_box(const struct lang_profile *lp, const char *submission_id,
	    const char *role, struct docker_box_spec *spec);

/* What a build may carry to the run, in bytes. */
#define PLAN_ARTIFACT_MAX	(64 * PLAN_MiB)

#endif
