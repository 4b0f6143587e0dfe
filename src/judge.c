/*
 * judge.c - one submission from request to result. The build runs once in
 * a box of the build image; its artifacts travel over the box stream into
 * a box of the run image, where every test runs as a fresh process. Every
 * box is closed (its container removed) on every path out of here.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "conf.h"
#include "judge.h"
#include "util.h"

#define JUDGE_MiB		(1024LL * 1024)
/*
 * What the run box holds besides the run's allowance: scrc-box and its
 * buffers (8 MiB), and the slack it leaves above the allowance for the
 * runtime's code pages (8 MiB, BOX_MEM_SLACK in scrc-box.c).
 */
#define JUDGE_BOX_HEADROOM	(16 * JUDGE_MiB)
#define JUDGE_BUILD_PIDS	256
#define JUDGE_BUILD_WORKDIR	(512 * JUDGE_MiB)
#define JUDGE_ARTIFACT_MAX	(64 * JUDGE_MiB)	/* what a build may carry to the run */
/* How much more than a run needs a build may have and still share its box. */
#define JUDGE_SHARE_EXTRA	(64 * JUDGE_MiB)

static const char *judge_default_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/tmp",
	"LANG=C.UTF-8",
	NULL
};

void
judge_limits(const struct request *req, struct judge_limits *out)
{
	out->time_ms = req->time_limit_ms > 0 ? req->time_limit_ms : conf.default_time_ms;
	if (out->time_ms > conf.max_time_ms)
		out->time_ms = conf.max_time_ms;
	out->memory_bytes = req->memory_limit_bytes > 0 ? req->memory_limit_bytes :
	    conf.default_memory_bytes;
	if (out->memory_bytes > conf.max_memory_bytes)
		out->memory_bytes = conf.max_memory_bytes;
	/* Below a few MiB no runtime starts; treat tiny limits as this floor. */
	if (out->memory_bytes < 4 * JUDGE_MiB)
		out->memory_bytes = 4 * JUDGE_MiB;
	out->wall_ms = req->wall_time_limit_ms > 0 ? req->wall_time_limit_ms :
	    util_add_sat(util_mul_sat(2, out->time_ms), 1000);
	if (out->wall_ms > conf.max_wall_ms)
		out->wall_ms = conf.max_wall_ms;
}

static int
judge_mem_contains(const char *hay, size_t hay_len, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0 || hay == NULL)
		return 0;
	return memmem(hay, hay_len, needle, n) != NULL;
}

enum result_status
judge_classify(const struct docker_exec_result *run, const struct judge_outcome *o,
    int accepted, char *errbuf, size_t errbuf_size)
{
	const char *const *p;
	int runtime_oom = 0;

	util_seterr(errbuf, errbuf_size, "%s", "");
	if (run->output_limit_hit) {
		util_seterr(errbuf, errbuf_size, "output limit exceeded");
		return RESULT_OL;
	}
	/*
	 * A runtime's out-of-memory message counts only when the run failed:
	 * a program that prints "MemoryError" and exits 0 did not run out.
	 */
	for (p = o->oom_patterns; p != NULL && *p != NULL; p++)
		if ((!run->exited || run->exit_code != 0) &&
		    judge_mem_contains(run->err.data, run->err.len, *p))
			runtime_oom = 1;
	if (run->oom_killed || runtime_oom || run->mem_limit_hit ||
	    (o->memory_allowed > 0 && run->memory_bytes > o->memory_allowed)) {
		util_seterr(errbuf, errbuf_size, "memory limit exceeded%s",
		    run->oom_killed ? " (killed by the OOM killer)" :
		    runtime_oom ? " (the runtime ran out of memory)" : "");
		return RESULT_ML;
	}
	if (run->cpu_limit_hit || run->wall_limit_hit ||
	    (o->time_ms > 0 && run->cpu_ms > o->time_ms)) {
		util_seterr(errbuf, errbuf_size, "%s",
		    run->wall_limit_hit && !run->cpu_limit_hit ? "wall time limit exceeded" :
		    "time limit exceeded");
		return RESULT_TL;
	}
	if (!run->exited) {
		util_seterr(errbuf, errbuf_size, "killed by signal %d", run->signal);
		return RESULT_RE;
	}
	if (run->exit_code != 0) {
		util_seterr(errbuf, errbuf_size, "exit code %d", run->exit_code);
		return RESULT_RE;
	}
	if (accepted == 0) {
		util_seterr(errbuf, errbuf_size, "wrong answer");
		return RESULT_WA;
	}
	return RESULT_OK;
}

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

static char **
judge_expand(const char *const *tmpl, const struct lang_vars *vars, struct result *res,
    const char *what)
{
	char err[256];
	char **v;

	v = lang_expand(tmpl, vars, err, sizeof err);
	if (v == NULL)
		result_set_error(res, "profile %s: %s", what, err);
	return v;
}

/* The environment of a build or a run: the profile's, else a sane default. */
static const char *const *
judge_env(char **profile_env)
{
	if (profile_env != NULL && profile_env[0] != NULL)
		return (const char *const *)profile_env;
	return judge_default_env;
}

/*
 * Builds the source in a box of the build image and fetches the artifacts.
 * When shared is not NULL the build runs in that box (the run box, when
 * build and run share an image and it is big enough) instead of a new one.
 * Returns 0 with files filled, 1 when the build failed (res is a BF result),
 * 2 when the profile cannot be expanded (res is a final IE result), -1 on an
 * infrastructure failure (res->error says why).
 */
static int
judge_build(const struct lang_profile *lp, const struct request *req,
    const struct judge_limits *lim, struct docker_box *shared, struct docker_files *files,
    struct result *res, int *code_ran)
{
	struct docker_box_spec spec;
	struct docker_box *box = NULL;
	struct docker_exec ex;
	struct docker_exec_result run;
	struct lang_vars vars;
	char **argv = NULL, **env = NULL;
	char *prog, *srcpath;
	char err[512];
	int64_t t0;
	int rc = -1;

	memset(&spec, 0, sizeof spec);
	spec.image = lp->build_image;
	spec.submission_id = req->id;
	spec.role = "build";
	spec.workdir = lp->workdir;
	spec.memory_bytes = lp->build_memory_bytes;
	spec.workdir_bytes = conf.workdir_bytes > JUDGE_BUILD_WORKDIR ? conf.workdir_bytes :
	    JUDGE_BUILD_WORKDIR;
	spec.pids_limit = conf.pids_limit > JUDGE_BUILD_PIDS ? conf.pids_limit :
	    JUDGE_BUILD_PIDS;
	spec.box_path = conf.box_path;
	spec.cpus = (double)conf.box_cpus_milli / 1000.0;

	prog = xasprintf("%s/build", lp->workdir);
	memset(&vars, 0, sizeof vars);
	vars.prog = prog;
	vars.src = lp->source;
	vars.memory_bytes = lim->memory_bytes;
	vars.time_limit_ms = lim->time_ms;
	vars.workdir = lp->workdir;
	argv = judge_expand((const char *const *)lp->build_argv, &vars, res, "build.argv");
	env = judge_expand(judge_env(lp->build_env), &vars, res, "build.env");
	if (argv == NULL || env == NULL) {
		free(prog);
		lang_strv_free(argv);
		lang_strv_free(env);
		res->status = RESULT_IE;
		return 2;	/* a broken profile: final, retrying cannot help */
	}

	t0 = util_now_us();
	if (shared != NULL) {
		if (docker_box_ready(shared, err, sizeof err) != 0) {
			result_set_error(res, "run container: %s", err);
			goto out;
		}
		box = shared;
	} else if ((box = docker_box_open(&spec, err, sizeof err)) == NULL) {
		result_set_error(res, "build container: %s", err);
		goto out;
	}
	log_debug("timing phase=build-open us=%lld", (long long)(util_now_us() - t0));
	srcpath = xasprintf("build/%s", lp->source);
	if (docker_box_put(box, srcpath, req->source, req->source_len, 0644, err,
	    sizeof err) != 0) {
		free(srcpath);
		result_set_error(res, "sending the source: %s", err);
		goto out;
	}
	free(srcpath);

	memset(&ex, 0, sizeof ex);
	ex.argv = (const char *const *)argv;
	ex.env = (const char *const *)env;
	ex.cwd = "build";
	/* Compilers may use several cores: CPU gets twice the wall budget. */
	ex.cpu_ms = 2 * lp->build_time_ms;
	ex.wall_ms = lp->build_time_ms;
	ex.output_cap = conf.output_cap_bytes;
	ex.file_size = JUDGE_BUILD_WORKDIR;
	t0 = util_now_us();
	/* From here on the submission steers what runs: no failure is retried. */
	*code_ran = 1;
	if (docker_box_exec(box, &ex, &run, err, sizeof err) != 0) {
		result_set_error(res, "build: %s", err);
		goto out;
	}
	log_debug("timing phase=build-exec host_us=%lld program_ms=%lld",
	    (long long)(util_now_us() - t0), (long long)run.wall_ms);
	if (run.output_limit_hit || run.oom_killed || run.mem_limit_hit || run.cpu_limit_hit ||
	    run.wall_limit_hit || !run.exited || run.exit_code != 0) {
		res->status = RESULT_BF;
		res->exit_code = run.exited ? run.exit_code : 128 + run.signal;
		res->duration_ms = run.wall_ms;
		res->cpu_time_ms = run.cpu_ms;
		res->memory_bytes = run.memory_bytes;
		result_set_error(res, "%s",
		    run.output_limit_hit ? "build output limit exceeded" :
		    run.oom_killed || run.mem_limit_hit ? "build ran out of memory" :
		    run.cpu_limit_hit || run.wall_limit_hit ? "build time limit exceeded" :
		    "build failed");
		judge_take_outputs(&run, &res->out, &res->err, &res->truncated);
		rc = 1;
		goto out;
	}
	if (run.dirty && box == shared) {
		docker_exec_result_free(&run);
		result_set_error(res, "build: the box could not be cleaned after it");
		goto out;
	}
	docker_exec_result_free(&run);
	if (docker_box_fetch(box, "build", (const char *const *)lp->build_artifacts,
	    JUDGE_ARTIFACT_MAX, files, err, sizeof err) != 0) {
		/* The build said it succeeded but left no artifact: the program's fault. */
		res->status = RESULT_BF;
		result_set_error(res, "build produced no artifact: %s", err);
		rc = 1;
		goto out;
	}
	rc = 0;
out:
	if (box != shared)
		docker_box_close(box);
	free(prog);
	lang_strv_free(argv);
	lang_strv_free(env);
	return rc;
}

/* Runs one test (or the single test-less run) and records its outcome. */
static int
judge_run_one(struct docker_box *box, const struct docker_exec *ex_tmpl,
    const struct judge_outcome *o, const struct checker *chk, const char *input,
    size_t input_len, const char *expected, size_t expected_len, struct result_test *t,
    int *dirty, char *err, size_t err_size)
{
	struct docker_exec ex = *ex_tmpl;
	struct docker_exec_result run;
	char why[256];
	int accepted = -1;
	int64_t t0;

	ex.input = input;
	ex.input_len = input_len;
	t0 = util_now_us();
	if (docker_box_exec(box, &ex, &run, err, err_size) != 0)
		return -1;
	/* Read by the judge benchmark: the host's round trip vs the program's own time. */
	log_debug("timing test=%d host_us=%lld program_ms=%lld", t->number,
	    (long long)(util_now_us() - t0), (long long)run.wall_ms);
	if (expected != NULL && run.exited && run.exit_code == 0 && !run.output_limit_hit)
		accepted = checker_accepts(chk, run.out.data ? run.out.data : "", run.out.len,
		    expected, expected_len);
	t->status = judge_classify(&run, o, accepted, why, sizeof why);
	t->exit_code = run.exited ? run.exit_code : 128 + run.signal;
	t->duration_ms = run.wall_ms;
	t->cpu_time_ms = run.cpu_ms;
	t->memory_bytes = run.memory_bytes;
	if (why[0] != '\0' && t->status != RESULT_OK)
		t->error = xstrdup(why);
	*dirty = run.dirty;
	judge_take_outputs(&run, &t->out, &t->err, &t->truncated);
	return 0;
}

/*
 * Makes box ready and places the artifacts in its program directory
 * (read-only to the programs). 0, or -1 with err.
 */
static int
judge_place(struct docker_box *box, const struct docker_files *files, char *err,
    size_t err_size)
{
	char why[512];
	size_t i;

	if (docker_box_ready(box, why, sizeof why) != 0) {
		util_seterr(err, err_size, "run container: %s", why);
		return -1;
	}
	for (i = 0; i < files->n; i++) {
		char *path = xasprintf("prog/%s", files->v[i].path);
		int r = docker_box_put(box, path, files->v[i].data, files->v[i].len,
		    files->v[i].mode, why, sizeof why);

		free(path);
		if (r != 0) {
			util_seterr(err, err_size, "sending the program: %s", why);
			return -1;
		}
	}
	return 0;
}

/*
 * Replaces a box whose last run left what could not be removed by a new
 * one with the same artifacts, so that the next test still starts clean.
 * The verdict of the run that soiled it stands. 0, or -1 with err.
 */
static int
judge_renew(struct docker_box **box, const struct docker_box_spec *spec,
    const struct docker_files *files, char *err, size_t err_size)
{
	char why[512];

	log_warn("judge: box could not be cleaned after a run; judging on in a new one");
	docker_box_close(*box);
	*box = docker_box_launch(spec, why, sizeof why);
	if (*box == NULL) {
		util_seterr(err, err_size, "run container: %s", why);
		return -1;
	}
	return judge_place(*box, files, err, err_size);
}

/*
 * Sizes the run box. It starts while the build runs, so its size allows
 * for the largest artifacts we fetch; scrc-box's reserve takes what a run
 * does not need, so the kernel still stops a program close to its
 * allowance. The work dir tmpfs holds the artifacts and the test input,
 * /tmp and /dev/shm what the program writes (memory it is charged for).
 */
/* What a run box's artifacts may take: known without a build, bounded with one. */
static int64_t
judge_artifacts_bytes(const struct lang_profile *lp, const struct request *req,
    int shared_build)
{
	if (lp->build_argv == NULL)
		return (int64_t)req->source_len;
	/* A build in the box leaves its copy until the first test: two. */
	return shared_build ? 2 * (int64_t)req->source_len + JUDGE_MiB : JUDGE_ARTIFACT_MAX;
}

/* The memory a run box needs for its runs (a build in it may need more). */
static int64_t
judge_run_memory(const struct lang_profile *lp, const struct request *req,
    const struct judge_limits *lim, int64_t max_input, int shared_build)
{
	return lim->memory_bytes + lp->memory_overhead_bytes +
	    judge_artifacts_bytes(lp, req, shared_build) + max_input + JUDGE_BOX_HEADROOM;
}

static void
judge_run_spec(const struct lang_profile *lp, const struct request *req,
    const struct judge_limits *lim, int64_t max_input, int shared_build,
    struct docker_box_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->image = lp->run_image;
	spec->submission_id = req->id;
	spec->role = "run";
	spec->workdir = lp->workdir;
	spec->workdir_bytes = conf.workdir_bytes + judge_artifacts_bytes(lp, req, shared_build) +
	    max_input;
	spec->memory_bytes = judge_run_memory(lp, req, lim, max_input, shared_build);
	/* A build sharing the box gets the memory its profile allows. */
	if (shared_build && spec->memory_bytes < lp->build_memory_bytes)
		spec->memory_bytes = lp->build_memory_bytes;
	spec->pids_limit = lp->pids_limit > 0 ? lp->pids_limit : conf.pids_limit;
	spec->cpus = (double)conf.box_cpus_milli / 1000.0;
	spec->box_path = conf.box_path;
	/*
	 * With the build elsewhere, scrc-box takes its reserve while the build
	 * runs; a build in this box needs the room, so it is taken later.
	 */
	if (!shared_build)
		spec->allowance = lim->memory_bytes + lp->memory_overhead_bytes;
}

int
judge_submission(const struct lang_set *langs, const struct request *req,
    struct result *res)
{
	const struct lang_profile *lp;
	struct judge_limits lim;
	struct judge_outcome o;
	struct checker chk;
	struct docker_files files;
	struct docker_box_spec spec;
	struct docker_box *box = NULL;
	struct docker_exec ex;
	struct lang_vars vars;
	struct result_test *t;
	char **argv = NULL, **env = NULL;
	char *prog = NULL;
	char err[512];
	int64_t max_input = 0, t0;
	size_t i;
	int rc = -1, stop = 0, code_ran = 0, shared, dirty = 0;

	result_init(res, req->id);
	res->worker = conf.worker_name ? xstrdup(conf.worker_name) : NULL;
	memset(&files, 0, sizeof files);
	judge_limits(req, &lim);
	res->wall_time_limit_ms = lim.wall_ms;

	lp = lang_find(langs, req->language);
	if (lp == NULL) {
		res->status = RESULT_IE;
		result_set_error(res, "unknown language \"%s\"", req->language);
		return 0;
	}
	if (checker_parse(req->checker ? req->checker : "exact", &chk, err, sizeof err) != 0) {
		res->status = RESULT_IE;
		result_set_error(res, "checker: %s", err);
		return 0;
	}
	if ((int64_t)req->ntests > conf.max_tests) {
		res->status = RESULT_IE;
		result_set_error(res, "too many tests: %zu (the limit is %lld)", req->ntests,
		    (long long)conf.max_tests);
		return 0;
	}

	for (i = 0; i < req->ntests; i++)
		if ((int64_t)req->tests[i].input_len > max_input)
			max_input = (int64_t)req->tests[i].input_len;
	prog = xasprintf("%s/prog", lp->workdir);
	memset(&vars, 0, sizeof vars);
	vars.prog = prog;
	vars.src = lp->source;
	vars.memory_bytes = lim.memory_bytes;
	vars.time_limit_ms = lim.time_ms;
	vars.workdir = lp->workdir;
	argv = judge_expand((const char *const *)lp->run_argv, &vars, res, "run.argv");
	env = judge_expand(judge_env(lp->run_env), &vars, res, "run.env");
	if (argv == NULL || env == NULL) {
		res->status = RESULT_IE;
		rc = 0;
		goto out;
	}

	/*
	 * Interpreters' syntax checks (a build whose image is the run image
	 * and whose memory is not much more than the run box has) save a whole
	 * container by running in the run box, in a directory of their own
	 * that no test ever sees. What the box has beyond a run's needs is
	 * taken back by scrc-box's reserve before the first test, at the cost
	 * of making it resident: a compiler's gigabyte is not worth that.
	 */
	shared = lp->build_argv != NULL && lp->build_image != NULL &&
	    strcmp(lp->build_image, lp->run_image) == 0 && lp->build_memory_bytes <=
	    judge_run_memory(lp, req, &lim, max_input, 1) + JUDGE_SHARE_EXTRA;
	judge_run_spec(lp, req, &lim, max_input, shared, &spec);
	t0 = util_now_us();
	box = docker_box_launch(&spec, err, sizeof err);
	if (box == NULL) {
		result_set_error(res, "run container: %s", err);
		goto infra;
	}

	/* Build, or carry the source itself as the only artifact. */
	if (lp->build_argv != NULL) {
		int b = judge_build(lp, req, &lim, shared ? box : NULL, &files, res, &code_ran);

		if (b == 1 || b == 2) {
			rc = 0;
			goto out;
		}
		if (b < 0)
			goto infra;
	} else {
		files.v = xcalloc(1, sizeof *files.v);
		files.n = 1;
		files.v[0].path = xstrdup(lp->source);
		files.v[0].mode = 0644;
		files.v[0].data = xmemdup(req->source, req->source_len);
		files.v[0].len = req->source_len;
	}

	if (judge_place(box, &files, err, sizeof err) != 0) {
		result_set_error(res, "%s", err);
		goto infra;
	}
	log_debug("timing phase=run-open us=%lld", (long long)(util_now_us() - t0));

	memset(&ex, 0, sizeof ex);
	ex.argv = (const char *const *)argv;
	ex.env = (const char *const *)env;
	ex.cwd = NULL;
	ex.cpu_ms = lim.time_ms;
	ex.wall_ms = lim.wall_ms;
	ex.output_cap = conf.output_cap_bytes;
	ex.file_size = conf.file_size_bytes;
	memset(&o, 0, sizeof o);
	o.memory_allowed = lim.memory_bytes + lp->memory_overhead_bytes;
	o.oom_patterns = (const char *const *)lp->oom_patterns;
	o.time_ms = lim.time_ms;
	ex.mem_limit = o.memory_allowed;

	if (req->ntests == 0) {
		struct result_test one;

		memset(&one, 0, sizeof one);
		code_ran = 1;
		if (judge_run_one(box, &ex, &o, &chk, "", 0, NULL, 0, &one, &dirty, err,
		    sizeof err) != 0) {
			result_set_error(res, "run: %s", err);
			goto infra;
		}
		res->status = one.status;
		res->exit_code = one.exit_code;
		res->duration_ms = one.duration_ms;
		res->cpu_time_ms = one.cpu_time_ms;
		res->memory_bytes = one.memory_bytes;
		res->truncated = one.truncated;
		res->out = one.out;
		res->err = one.err;
		if (one.error != NULL)
			result_set_error(res, "%s", one.error);
		free(one.error);
		rc = 0;
		goto out;
	}

	for (i = 0; i < req->ntests; i++) {
		const struct request_test *rt = &req->tests[i];

		t = result_add_test(res, rt->number);
		t->input = rt->input;
		t->input_len = rt->input_len;
		t->expected = rt->expected;
		t->expected_len = rt->expected_len;
		t->status = RESULT_NOT_RUN;
		if (stop)
			continue;
		if (dirty && judge_renew(&box, &spec, &files, err, sizeof err) != 0) {
			result_set_error(res, "test %d: %s", rt->number, err);
			t->status = RESULT_IE;
			stop = 2;
			continue;
		}
		code_ran = 1;
		if (judge_run_one(box, &ex, &o, &chk, rt->input, rt->input_len, rt->expected,
		    rt->expected_len, t, &dirty, err, sizeof err) != 0) {
			/* The test that was running when the box failed is not OK. */
			result_set_error(res, "test %d: %s", rt->number, err);
			t->status = RESULT_IE;
			t->error = xstrdup(err);
			stop = 2;
			continue;
		}
		if (t->status != RESULT_OK && !req->run_all_tests)
			stop = 1;
	}
	if (stop == 2)
		goto infra;
	result_aggregate(res);
	rc = 0;
	goto out;

infra:
	res->status = RESULT_IE;
	/*
	 * Judging again from scratch is for failures before any of the
	 * submission's code ran (daemon down, image missing). Once it ran, a
	 * retry could turn a failure the program caused into a luckier verdict.
	 */
	if (code_ran) {
		result_set_error(res, "%s (after the submission's code had run: not retried)",
		    res->error != NULL ? res->error : "infrastructure failure");
		rc = 0;
	} else
		rc = -1;
out:
	docker_box_close(box);
	docker_files_free(&files);
	lang_strv_free(argv);
	lang_strv_free(env);
	free(prog);
	return rc;
}
