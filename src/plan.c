/*
 * plan.c - limits and box sizes of a submission and of the problem
 * setter's programs judged with it, decided before any box starts.
 */
#include "config.h"

#include <string.h>

#include "conf.h"
#include "plan.h"
#include "util.h"

/*
 * What a run box holds besides the run's allowance: scrc-box and its
 * buffers (8 MiB), and the slack it leaves above the allowance for the
 * runtime's code pages (8 MiB, BOX_MEM_SLACK in scrc-box.c).
 */
#define PLAN_BOX_HEADROOM	(16 * PLAN_MiB)
#define PLAN_BUILD_PIDS		256
#define PLAN_BUILD_WORKDIR	(512 * PLAN_MiB)

/* v x milli / 1000, saturating. */
static int64_t
plan_scale(int64_t v, int64_t milli)
{
	if (milli <= 0 || milli == 1000)
		return v;
	if (v > INT64_MAX / milli)
		return INT64_MAX;
	return v * milli / 1000;
}

/* Time and memory held to the ceilings, wall derived unless given. */
static void
plan_finish(int64_t time_ms, int64_t memory_bytes, int64_t wall_ms, struct plan_limits *out)
{
	out->time_ms = time_ms > conf.max_time_ms ? conf.max_time_ms : time_ms;
	out->memory_bytes = memory_bytes > conf.max_memory_bytes ? conf.max_memory_bytes :
	    memory_bytes;
	/* Below a few MiB no runtime starts; treat tiny limits as this floor. */
	if (out->memory_bytes < 4 * PLAN_MiB)
		out->memory_bytes = 4 * PLAN_MiB;
	out->wall_ms = wall_ms > 0 ? wall_ms :
	    util_add_sat(util_mul_sat(2, out->time_ms), 1000);
	if (out->wall_ms > conf.max_wall_ms)
		out->wall_ms = conf.max_wall_ms;
}

void
plan_limits(const struct request *req, const struct lang_profile *lp,
    struct plan_limits *out)
{
	int64_t t = req->time_limit_ms > 0 ? req->time_limit_ms : conf.default_time_ms;
	int64_t m = req->memory_limit_bytes > 0 ? req->memory_limit_bytes :
	    conf.default_memory_bytes;

	if (lp != NULL) {
		t = plan_scale(t, lp->time_factor_milli);
		m = plan_scale(m, lp->memory_factor_milli);
	}
	plan_finish(t, m, req->wall_time_limit_ms, out);
}

void
plan_setter_limits(const struct request_program *p, struct plan_limits *out)
{
	plan_finish(p->time_limit_ms > 0 ? p->time_limit_ms : PLAN_SETTER_TIME_MS,
	    p->memory_limit_bytes > 0 ? p->memory_limit_bytes : PLAN_SETTER_MEMORY, 0, out);
}

/*
 * What a run box holds besides the run (artifacts, inputs) goes by
 * classes, powers of two from PLAN_EXTRA_MIN: boxes of submissions alike
 * (one language, one problem's limits) are then alike to the byte, so
 * that one started ahead of its submission (warm.h) serves any of them.
 */
#define PLAN_EXTRA_MIN		(16 * PLAN_MiB)

static int64_t
plan_class(int64_t v)
{
	int64_t c = PLAN_EXTRA_MIN;

	while (c < v && c <= INT64_MAX / 2)
		c *= 2;
	return c < v ? v : c;
}

void
plan_run_box(const struct lang_profile *lp, const char *submission_id, const char *role,
    const struct plan_limits *lim, int64_t artifact_bytes, int64_t max_io,
    int allowance_known, struct docker_box_spec *spec)
{
	int64_t extra = plan_class(util_add_sat(artifact_bytes, max_io));

	memset(spec, 0, sizeof *spec);
	spec->image = lp->run_image;
	spec->submission_id = submission_id;
	spec->role = role;
	spec->workdir = lp->workdir;
	/* The work dir tmpfs holds the artifacts and the inputs; /tmp what the program writes. */
	spec->workdir_bytes = util_add_sat(conf.workdir_bytes, extra);
	spec->memory_bytes = util_add_sat(util_add_sat(lim->memory_bytes,
	    lp->memory_overhead_bytes), util_add_sat(extra, PLAN_BOX_HEADROOM));
	spec->pids_limit = lp->pids_limit > 0 ? lp->pids_limit : conf.pids_limit;
	spec->cpus = (double)conf.box_cpus_milli / 1000.0;
	spec->box_path = conf.box_path;
	if (allowance_known)
		spec->allowance = lim->memory_bytes + lp->memory_overhead_bytes;
}

void
plan_build_box(const struct lang_profile *lp, const char *submission_id, const char *role,
    struct docker_box_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->image = lp->build_image;
	spec->submission_id = submission_id;
	spec->role = role;
	spec->workdir = lp->workdir;
	spec->memory_bytes = lp->build_memory_bytes;
	spec->workdir_bytes = conf.workdir_bytes > PLAN_BUILD_WORKDIR ? conf.workdir_bytes :
	    PLAN_BUILD_WORKDIR;
	spec->pids_limit = conf.pids_limit > PLAN_BUILD_PIDS ? conf.pids_limit :
	    PLAN_BUILD_PIDS;
	spec->box_path = conf.box_path;
	spec->cpus = (double)conf.box_cpus_milli / 1000.0;
}
