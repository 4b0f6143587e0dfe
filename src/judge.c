/*
 * judge.c - one submission from request to result, stage by stage: plan
 * (plan.c: limits, box sizes), build (build.c: once, in a box of the build
 * image or of the run image), run (every test a fresh process in the run
 * box), check (checker.c's comparisons, or the problem's own checker in a
 * box of its own, setter.c), score (score.c). Every box is closed (its
 * container removed) on every path out of here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "checker.h"
#include "conf.h"
#include "interact.h"
#include "judge.h"
#include "plan.h"
#include "progcache.h"
#include "score.h"
#include "setter.h"
#include "tally.h"
#include "util.h"
#include "verdict.h"
#include "warm.h"

/* The interaction volume of the last submission, removed by judge_release. */
static char	judge_pending_ipc[64];

/* How much more than a run needs a build may have and still share its box. */
#define JUDGE_SHARE_EXTRA	(64 * PLAN_MiB)

/* Everything judging one submission holds; data flows request -> result. */
struct judge {
	const struct lang_set		*langs;
	const struct request		*req;
	struct result			*res;
	const struct lang_profile	*lp;
	struct plan_limits		 lim;
	struct verdict_limits		 vl;
	struct checker			 chk;		/* the built-in comparison */
	struct setter			*checker;	/* or the problem's checker */
	struct setter			*interactor;	/* interactive: the other side */
	char				 ipc[64];	/* and the volume of the channels */
	int				 shared;	/* the build runs in the run box */
	struct docker_box_spec		 spec;
	struct docker_box		*box;
	struct docker_files		 files;		/* what the run box is given */
	struct docker_exec		 ex;		/* every test's run, but its input */
	char				**argv;
	char				**env;
	char				*prog;
	char				 main[72];	/* {main} of the source (lang_main) */
	int				 dirty;		/* the last run left the box unclean */
	int				 code_ran;	/* failures are no longer retried */
	int				 cached;	/* files came from the build cache */
	char				 key[65];	/* the build's cache key; "": none */
	char				 err[512];
};

/* Keeps at most cap bytes of an output, recording whether it was cut. */
static void
judge_cap(struct buf *b, int64_t cap, int *truncated)
{
	if (cap >= 0 && b->len > (size_t)cap) {
		b->len = (size_t)cap;
		b->data[b->len] = '\0';
		*truncated = 1;
	}
}

/*
 * Moves a run's stdout and stderr, cut to what the record keeps, into out
 * and err (replacing them), then frees the rest of the run.
 */
static void
judge_take_outputs(struct docker_exec_result *run, struct buf *out, struct buf *err,
    int *truncated)
{
	judge_cap(&run->out, conf.field_cap_bytes, truncated);
	judge_cap(&run->err, conf.field_cap_bytes, truncated);
	buf_free(out);
	buf_free(err);
	*out = run->out;
	*err = run->err;
	buf_init(&run->out);
	buf_init(&run->err);
	docker_exec_result_free(run);
}

/* The bytes of the extra files. */
static int64_t
judge_files_bytes(const struct request *req)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < req->nfiles; i++)
		n += (int64_t)req->files[i].len;
	return n;
}

/*
 * What a run box's artifacts may take: known without a build or from the
 * cache, bounded with a build; shared_build asks for the room a build in the
 * box takes, which a cached build of the same profile asks for too.
 */
static int64_t
judge_artifacts_bytes(const struct judge *j, int shared_build)
{
	int64_t src = (int64_t)j->req->source_len + judge_files_bytes(j->req);

	if (j->lp->build_argv == NULL)
		return src;
	if (j->cached) {
		int64_t got = 0;
		size_t i;

		for (i = 0; i < j->files.n; i++)
			got += (int64_t)j->files.v[i].len;
		/* The shape a shared build would have had, when it holds them. */
		return shared_build && got < 2 * src + PLAN_MiB ? 2 * src + PLAN_MiB : got;
	}
	/* A build in the box leaves its copy until the first test: two. */
	return shared_build ? 2 * src + PLAN_MiB : PLAN_ARTIFACT_MAX;
}

static int64_t
judge_max_input(const struct request *req)
{
	int64_t n = 0;
	size_t i;

	for (i = 0; i < req->ntests; i++)
		if ((int64_t)req->tests[i].input_len > n)
			n = (int64_t)req->tests[i].input_len;
	return n;
}

/*
 * Checks what can be checked before any box starts and expands the run's
 * templates. 0, or 1 with res a final IE.
 */
static int
judge_prepare(struct judge *j)
{
	const struct request *req = j->req;
	char *src;
	size_t i;

	j->lp = lang_find(j->langs, req->language);
	if (j->lp == NULL) {
		result_set_error(j->res, "unknown language \"%s\"", req->language);
		return 1;
	}
	plan_limits(req, j->lp, &j->lim);
	j->res->time_limit_ms = j->lim.time_ms;
	j->res->memory_limit_bytes = j->lim.memory_bytes;
	j->res->wall_time_limit_ms = j->lim.wall_ms;
	if (checker_parse(req->checker ? req->checker : "exact", &j->chk, j->err,
	    sizeof j->err) != 0) {
		result_set_error(j->res, "checker: %s", j->err);
		return 1;
	}
	if ((int64_t)req->ntests > conf.max_tests) {
		result_set_error(j->res, "too many tests: %zu (the limit is %lld)", req->ntests,
		    (long long)conf.max_tests);
		return 1;
	}
	lang_main(j->lp, req->source, j->main, sizeof j->main);
	src = lang_source_name(j->lp, j->main);
	for (i = 0; i < req->nfiles; i++) {
		if (strcmp(req->files[i].name, src) == 0) {
			result_set_error(j->res, "files: \"%s\" is the name of the source itself",
			    src);
			free(src);
			return 1;
		}
	}
	free(src);
	if (build_run_command(j->lp, &j->lim, j->main, &j->prog, &j->argv, &j->env, j->err,
	    sizeof j->err) != 0) {
		result_set_error(j->res, "%s", j->err);
		return 1;
	}
	return 0;
}

/*
 * Sizes the run box and starts it (it comes up while the checker and the
 * build are prepared). Interpreters' syntax checks (a build whose image is
 * the run image and whose memory is not much more than the run box has)
 * save a whole container by running in the run box, in a directory of
 * their own that no test ever sees; scrc-box's reserve takes back what
 * the box has beyond a run's needs before the first test, at the cost of
 * making it resident: a compiler's gigabyte is not worth that.
 *
 * A cached build of such a profile asks for the very box its build would
 * have shared (sized for the build, the allowance told at the first run,
 * not at the start): the box a worker starts ahead of a submission
 * (warm.c) then serves its language's next submission whether or not the
 * cache answers it. The reserve's fill moves from the box's start to the
 * first test; it costs the same memory either way.
 */
static int
judge_launch(struct judge *j)
{
	const struct lang_profile *lp = j->lp;
	int64_t max_input = judge_max_input(j->req), need;
	int share_shape;

	need = j->lim.memory_bytes + lp->memory_overhead_bytes + judge_artifacts_bytes(j, 1) +
	    max_input + 16 * PLAN_MiB;
	share_shape = lp->build_argv != NULL && lp->build_image != NULL &&
	    strcmp(lp->build_image, lp->run_image) == 0 &&
	    lp->build_memory_bytes <= need + JUDGE_SHARE_EXTRA;
	j->shared = share_shape && !j->cached;
	plan_run_box(lp, j->req->id, "run", &j->lim, judge_artifacts_bytes(j, share_shape),
	    max_input, !share_shape, &j->spec);
	/* A build sharing the box gets the memory its profile allows. */
	if (share_shape && j->spec.memory_bytes < lp->build_memory_bytes)
		j->spec.memory_bytes = lp->build_memory_bytes;
	if (j->req->interactor != NULL) {
		if (docker_ipc_create(j->req->id, j->ipc, sizeof j->ipc, j->err,
		    sizeof j->err) != 0) {
			result_set_error(j->res, "%s", j->err);
			return -1;
		}
		j->spec.ipc_volume = j->ipc;
	}
	j->box = warm_take(&j->spec);
	if (j->box == NULL)
		j->box = docker_box_launch(&j->spec, j->err, sizeof j->err);
	if (j->box == NULL) {
		result_set_error(j->res, "run container: %s", j->err);
		return -1;
	}
	return 0;
}

/* The largest file a checker is given: an input, an answer, or an output. */
static int64_t
judge_max_io(const struct request *req)
{
	int64_t n = judge_max_input(req);
	size_t i;

	for (i = 0; i < req->ntests; i++)
		if (req->tests[i].expected != NULL && (int64_t)req->tests[i].expected_len > n)
			n = (int64_t)req->tests[i].expected_len;
	return n > conf.output_cap_bytes ? n : conf.output_cap_bytes;
}

/* Opens the problem's checker and interactor. 0; 1 with res a final IE; -1 infra. */
static int
judge_open_setters(struct judge *j)
{
	int final;

	if (j->req->checker_prog != NULL) {
		j->checker = setter_open(j->langs, j->req->checker_prog, "checker", j->req->id,
		    judge_max_io(j->req), NULL, &final, j->err, sizeof j->err);
		if (j->checker == NULL)
			goto fail;
	}
	if (j->req->interactor != NULL) {
		j->interactor = setter_open(j->langs, j->req->interactor, "interactor",
		    j->req->id, judge_max_input(j->req), j->ipc, &final, j->err, sizeof j->err);
		if (j->interactor == NULL)
			goto fail;
	}
	return 0;
fail:
	result_set_error(j->res, "%s", j->err);
	return final ? 1 : -1;
}

/* What building the submission takes; everything borrowed from j. */
static void
judge_build_input(const struct judge *j, struct build_input *in)
{
	memset(in, 0, sizeof *in);
	in->lp = j->lp;
	in->submission_id = j->req->id;
	in->role = "build";
	in->source = j->req->source;
	in->source_len = j->req->source_len;
	in->main = j->main;
	in->files = j->req->files;
	in->nfiles = j->req->nfiles;
	in->lim = &j->lim;
}

/* What the build step cost, for the result's "build" (a cache hit: nothing). */
static void
judge_build_figures(struct judge *j, const struct build_outcome *bo)
{
	struct result_build *b = &j->res->build;

	b->ran = 1;
	b->cached = bo == NULL;
	if (bo != NULL) {
		b->duration_ms = bo->wall_ms;
		b->cpu_time_ms = bo->cpu_ms;
		b->memory_bytes = bo->memory_bytes;
	}
}

/* The result of a build that failed (bo's outputs move into res): a BF. */
static void
judge_build_failed(struct judge *j, struct build_outcome *bo)
{
	struct result *res = j->res;

	res->status = RESULT_BF;
	judge_build_figures(j, bo);
	res->exit_code = bo->exit_code;
	res->duration_ms = bo->wall_ms;
	res->cpu_time_ms = bo->cpu_ms;
	res->memory_bytes = bo->memory_bytes;
	result_set_reason(res, "%s", bo->reason);
	judge_cap(&bo->out, conf.field_cap_bytes, &res->truncated);
	judge_cap(&bo->err, conf.field_cap_bytes, &res->truncated);
	buf_free(&res->out);
	buf_free(&res->err);
	res->out = bo->out;
	res->err = bo->err;
	buf_init(&bo->out);
	buf_init(&bo->err);
}

/* Names the submission's build in the cache (j->key), when it may be cached. */
static void
judge_cache_key(struct judge *j)
{
	struct build_input in;

	j->key[0] = '\0';
	if (j->lp->build_argv == NULL || !conf.build_cache || !progcache_enabled())
		return;
	judge_build_input(j, &in);
	if (progcache_key("submission", &in, j->key) != 0)
		j->key[0] = '\0';
}

/*
 * Looks the submission's build up in the cache: 0 with j->files set
 * (j->cached), 1 with res a final BF (the same build failed before),
 * -1 when it is not there.
 */
static int
judge_cache_get(struct judge *j)
{
	struct build_outcome bo;
	int r;

	if (j->key[0] == '\0')
		return -1;
	r = progcache_get(j->key, &j->files, &bo);
	if (r == 0)
		j->cached = 1;
	else if (r == 1)
		judge_build_failed(j, &bo);
	build_outcome_free(&bo);
	if (r >= 0) {
		judge_build_figures(j, NULL);
		log_info("build: cache hit %.16s (%s, %s)", j->key, j->lp->name,
		    r == 0 ? "built" : "failed");
		tally_add(TALLY_BUILD_HITS, 1);
	}
	return r;
}

/*
 * Builds the submission, unless the cache has it. The key's lock is held
 * across the build: the same program judged twice at once is built once.
 * 0; 1 with res final (BF, or IE); -1 infra.
 */
static int
judge_build(struct judge *j)
{
	struct build_input in;
	struct build_outcome bo;
	int r, lock = -1;

	if (j->cached)
		return 0;
	judge_build_input(j, &in);
	if (j->lp->build_argv == NULL) {
		build_source_only(&in, &j->files);
		return 0;
	}
	/* Another judge may have built it since we looked. */
	if (j->key[0] != '\0' && (lock = progcache_lock(j->key)) >= 0 &&
	    (r = judge_cache_get(j)) >= 0) {
		progcache_unlock(lock);
		return r;
	}
	if (lock >= 0)
		tally_add(TALLY_BUILD_MISSES, 1);
	r = build_program(&in, j->shared ? j->box : NULL, &j->files, &bo, &j->code_ran, j->err,
	    sizeof j->err);
	if (lock >= 0) {
		if (r == 0)
			progcache_put(j->key, &j->files);
		else if (r == 1 && bo.repeatable)
			progcache_put_failure(j->key, &bo);
		progcache_unlock(lock);
	}
	if (r == 1) {
		judge_build_failed(j, &bo);
		build_outcome_free(&bo);
		return 1;
	}
	if (r == 0)
		judge_build_figures(j, &bo);
	build_outcome_free(&bo);
	if (r == 0)
		return 0;
	result_set_error(j->res, "%s", j->err);
	return r == 2 ? 1 : -1;
}

/*
 * Makes the run box ready and places the artifacts in its program
 * directory (read-only to the programs). 0, or -1 with j->err.
 */
static int
judge_place(struct judge *j)
{
	char why[512];
	size_t i;

	if (docker_box_ready(j->box, why, sizeof why) != 0) {
		util_seterr(j->err, sizeof j->err, "run container: %s", why);
		return -1;
	}
	for (i = 0; i < j->files.n; i++) {
		char *path = xasprintf("prog/%s", j->files.v[i].path);
		int r = docker_box_put(j->box, path, j->files.v[i].data, j->files.v[i].len,
		    j->files.v[i].mode, why, sizeof why);

		free(path);
		if (r != 0) {
			util_seterr(j->err, sizeof j->err, "sending the program: %s", why);
			return -1;
		}
	}
	return 0;
}

/*
 * Replaces a box whose last run left what could not be removed by a new
 * one with the same artifacts, so that the next test still starts clean.
 * The verdict of the run that soiled it stands. 0, or -1 with j->err.
 */
static int
judge_renew(struct judge *j)
{
	log_warn("judge: box could not be cleaned after a run; judging on in a new one");
	docker_box_close(j->box);
	j->box = docker_box_launch(&j->spec, j->err, sizeof j->err);
	if (j->box == NULL)
		return -1;
	j->dirty = 0;
	return judge_place(j);
}

/*
 * One interactive test: the program against the interactor, then the
 * problem's checker, when there is one, on the OUTPUT the interactor
 * wrote (if it accepted). 0, or -1 when a box failed (j->err).
 */
static int
judge_interact(struct judge *j, const char *input, size_t input_len, const char *expected,
    size_t expected_len, struct result_test *t)
{
	struct buf output;
	int r;

	buf_init(&output);
	j->code_ran = 1;
	r = interact_test(j->box, &j->ex, &j->vl, j->interactor, input, input_len, t, &output,
	    &j->dirty, j->err, sizeof j->err);
	if (r == 0 && j->checker != NULL && t->status == RESULT_OK)
		r = setter_check(j->checker, input, input_len, output.data, output.len,
		    expected != NULL ? expected : "", expected != NULL ? expected_len : 0, t,
		    j->err, sizeof j->err);
	buf_free(&output);
	return r;
}

/*
 * Runs the program on one input and records its outcome in t, checked
 * against expected (NULL: nothing to compare) by the built-in comparison
 * or the problem's checker. 0, or -1 when a box failed (j->err).
 */
static int
judge_run(struct judge *j, const char *input, size_t input_len, const char *expected,
    size_t expected_len, struct result_test *t)
{
	struct docker_exec ex = j->ex;
	struct docker_exec_result run;
	char why[256];
	int accepted = -1, clean;
	int64_t t0;

	if (j->dirty && judge_renew(j) != 0)
		return -1;
	if (j->interactor != NULL)
		return judge_interact(j, input, input_len, expected, expected_len, t);
	ex.input = input;
	ex.input_len = input_len;
	t0 = util_now_us();
	j->code_ran = 1;
	if (docker_box_exec(j->box, &ex, &run, j->err, sizeof j->err) != 0)
		return -1;
	/* Read by the judge benchmark: the host's round trip vs the program's own time. */
	log_debug("timing test=%d host_us=%lld program_ms=%lld", t->number,
	    (long long)(util_now_us() - t0), (long long)run.wall_ms);
	clean = run.exited && run.exit_code == 0 && !run.output_limit_hit;
	if (j->checker == NULL && expected != NULL && clean)
		accepted = checker_accepts(&j->chk, run.out.data ? run.out.data : "",
		    run.out.len, expected, expected_len);
	t->status = verdict_classify(&run, &j->vl, accepted, why, sizeof why);
	t->exit_code = run.exited ? run.exit_code : 128 + run.signal;
	t->duration_ms = run.wall_ms;
	t->cpu_time_ms = run.cpu_ms;
	t->memory_bytes = run.memory_bytes;
	if (why[0] != '\0' && t->status != RESULT_OK)
		t->reason = xstrdup(why);
	j->dirty = run.dirty;
	/* The checker reads the whole output, not the part the record keeps. */
	if (j->checker != NULL && t->status == RESULT_OK &&
	    setter_check(j->checker, input, input_len, run.out.data, run.out.len,
	    expected != NULL ? expected : "", expected != NULL ? expected_len : 0, t, j->err,
	    sizeof j->err) != 0) {
		docker_exec_result_free(&run);
		return -1;
	}
	judge_take_outputs(&run, &t->out, &t->err, &t->truncated);
	return 0;
}

/*
 * Judges test i. 0 when judged, 1 when the test is IE (a checker that
 * failed: final), -1 when a box failed (the test IE, res->error set).
 */
static int
judge_test(struct judge *j, size_t i)
{
	const struct request_test *rt = &j->req->tests[i];
	struct result_test *t = &j->res->tests[i];

	if (judge_run(j, rt->input, rt->input_len, rt->expected, rt->expected_len, t) != 0) {
		/* The test that was running when the box failed is not OK. */
		result_set_error(j->res, "test %d: %s", rt->number, j->err);
		t->status = RESULT_IE;
		free(t->error);
		t->error = xstrdup(j->err);
		return -1;
	}
	if (t->status == RESULT_IE) {
		result_set_error(j->res, "test %d: %s", rt->number, t->error ? t->error : "IE");
		return 1;
	}
	return 0;
}

/* Whether test i belongs to a group. */
static int
judge_in_group(const struct request *req, size_t i)
{
	size_t g, k;

	for (g = 0; g < req->ngroups; g++)
		for (k = 0; k < req->groups[g].ntests; k++)
			if ((size_t)req->groups[g].tests[k] == i)
				return 1;
	return 0;
}

/*
 * Runs the tests of a scored problem: those in no group first, then each
 * group once its dependencies are settled, when they scored full marks
 * (else its tests stay "-"). A test in two groups runs once.
 */
static int
judge_groups(struct judge *j)
{
	const struct request *req = j->req;
	unsigned char settled[REQUEST_MAX_GROUPS] = { 0 };
	size_t i, g, k, left = req->ngroups;
	int r;

	for (i = 0; i < req->ntests; i++)
		if (!judge_in_group(req, i) && (r = judge_test(j, i)) != 0)
			return r;
	while (left > 0) {
		for (g = 0; g < req->ngroups; g++) {
			const struct request_group *rg = &req->groups[g];

			if (settled[g])
				continue;
			for (k = 0; k < rg->ndepends && settled[rg->depends[k]]; k++)
				;
			if (k < rg->ndepends)
				continue;	/* request.c ruled out cycles: it comes */
			settled[g] = 1;
			left--;
			if (!score_group_ready(req, j->res, g))
				continue;
			for (k = 0; k < rg->ntests; k++) {
				struct result_test *t = &j->res->tests[rg->tests[k]];

				if (t->status == RESULT_NOT_RUN && !t->scored &&
				    (r = judge_test(j, (size_t)rg->tests[k])) != 0)
					return r;
				score_test(t);
			}
		}
	}
	return 0;
}

/* Runs every test (in order, stopping at the first failure unless asked not to). */
static int
judge_tests(struct judge *j)
{
	const struct request *req = j->req;
	size_t i;
	int r;

	for (i = 0; i < req->ntests; i++) {
		struct result_test *t = result_add_test(j->res, req->tests[i].number);

		t->input = req->tests[i].input;
		t->input_len = req->tests[i].input_len;
		t->expected = req->tests[i].expected;
		t->expected_len = req->tests[i].expected_len;
	}
	if (req->ngroups > 0)
		r = judge_groups(j);
	else {
		for (i = 0, r = 0; i < req->ntests && r == 0; i++) {
			r = judge_test(j, i);
			if (r == 0 && j->res->tests[i].status != RESULT_OK && !req->run_all_tests)
				break;
		}
	}
	if (r == 0 && (req->checker_prog != NULL || req->interactor != NULL || req->ngroups > 0))
		for (i = 0; i < j->res->ntests; i++)
			if (j->res->tests[i].status != RESULT_NOT_RUN)
				score_test(&j->res->tests[i]);
	result_aggregate(j->res);
	if (req->ngroups > 0)
		score_finish(req, j->res);
	return r < 0 ? -1 : 0;
}

/* The single run of a submission without tests. 0, or -1 (j->err). */
static int
judge_single(struct judge *j)
{
	struct result *res = j->res;
	struct result_test one;

	memset(&one, 0, sizeof one);
	buf_init(&one.checker_msg);
	if (judge_run(j, "", 0, NULL, 0, &one) != 0) {
		result_set_error(res, "run: %s", j->err);
		return -1;
	}
	res->status = one.status;
	res->exit_code = one.exit_code;
	res->duration_ms = one.duration_ms;
	res->cpu_time_ms = one.cpu_time_ms;
	res->memory_bytes = one.memory_bytes;
	res->truncated = one.truncated;
	res->out = one.out;
	res->err = one.err;
	res->reason = one.reason;
	if (one.error != NULL)
		result_set_error(res, "%s", one.error);
	free(one.error);
	buf_free(&one.checker_msg);
	return 0;
}

/* Runs the submission: the tests, or the single run. 0, or -1 (infra). */
static int
judge_execute(struct judge *j)
{
	if (judge_place(j) != 0) {
		result_set_error(j->res, "%s", j->err);
		return -1;
	}
	memset(&j->ex, 0, sizeof j->ex);
	j->ex.argv = (const char *const *)j->argv;
	j->ex.env = (const char *const *)j->env;
	j->ex.cwd = NULL;
	j->ex.cpu_ms = j->lim.time_ms;
	j->ex.wall_ms = j->lim.wall_ms;
	j->ex.output_cap = conf.output_cap_bytes;
	j->ex.file_size = conf.file_size_bytes;
	memset(&j->vl, 0, sizeof j->vl);
	j->vl.memory_allowed = j->lim.memory_bytes + j->lp->memory_overhead_bytes;
	j->vl.oom_patterns = (const char *const *)j->lp->oom_patterns;
	j->vl.time_ms = j->lim.time_ms;
	j->ex.mem_limit = j->vl.memory_allowed;
	if (j->req->ntests == 0)
		return judge_single(j);
	return judge_tests(j);
}

/* The boxes and the volume of the last submission, not the warm box. */
static void
judge_release_boxes(void)
{
	docker_box_close_all();
	docker_ipc_remove(judge_pending_ipc);
	judge_pending_ipc[0] = '\0';
}

void
judge_release(void)
{
	warm_drop();
	judge_release_boxes();
}

int
judge_submission(const struct lang_set *langs, const struct request *req,
    struct result *res)
{
	struct judge j;
	int64_t t0;
	int rc = 0, r;

	/* A caller that forgot: one submission's boxes at a time (the warm one stays). */
	judge_release_boxes();
	memset(&j, 0, sizeof j);
	j.langs = langs;
	j.req = req;
	j.res = res;
	result_init(res, req->id);
	res->worker = conf.worker_name ? xstrdup(conf.worker_name) : NULL;

	if (judge_prepare(&j) != 0) {
		res->status = RESULT_IE;
		goto out;
	}
	t0 = util_now_us();
	/* A build the cache has leaves the build box out; a failed one, every box. */
	judge_cache_key(&j);
	if (judge_cache_get(&j) == 1)
		goto out;
	if (judge_launch(&j) != 0)
		goto infra;
	if ((r = judge_open_setters(&j)) != 0) {
		if (r > 0) {
			res->status = RESULT_IE;
			goto out;
		}
		goto infra;
	}
	if ((r = judge_build(&j)) != 0) {
		if (r > 0) {
			if (res->status != RESULT_BF)
				res->status = RESULT_IE;
			goto out;
		}
		goto infra;
	}
	log_debug("timing phase=run-open us=%lld", (long long)(util_now_us() - t0));
	if (judge_execute(&j) == 0) {
		/* A checker that failed is final: IE, never retried. */
		if (res->error != NULL && res->ntests > 0)
			res->status = RESULT_IE;
		goto out;
	}

infra:
	res->status = RESULT_IE;
	/*
	 * Judging again from scratch is for failures before any of the
	 * submission's code ran (daemon down, image missing). Once it ran, a
	 * retry could turn a failure the program caused into a luckier verdict.
	 */
	if (j.code_ran) {
		result_set_error(res, "%s (after the submission's code had run: not retried)",
		    res->error != NULL ? res->error : "infrastructure failure");
	} else
		rc = -1;
out:
	/* An IE is explained by its error; a reason left from a test would mislead. */
	if (res->status == RESULT_IE) {
		free(res->reason);
		res->reason = NULL;
	}
	/*
	 * Every box says goodbye now, so that the daemon removes them together
	 * while the caller hands the verdict on; judge_release waits for them.
	 */
	setter_close(j.checker);
	setter_close(j.interactor);
	docker_box_close_later(j.box);
	memcpy(judge_pending_ipc, j.ipc, sizeof judge_pending_ipc);
	docker_files_free(&j.files);
	lang_strv_free(j.argv);
	lang_strv_free(j.env);
	free(j.prog);
	return rc;
}
