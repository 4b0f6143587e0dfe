/*
 * build.c - one program's build step: source and extra files sent into a
 * box, the profile's build argv run there under the profile's build
 * limits, the artifacts fetched back over the same stream.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "conf.h"
#include "util.h"
#include "warm.h"

#define BUILD_FILE_SIZE		(512 * PLAN_MiB)	/* RLIMIT_FSIZE of a build */

static const char *build_default_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/tmp",
	"LANG=C.UTF-8",
	NULL
};

char **
build_expand(const char *const *tmpl, const struct lang_vars *vars, const char *what,
    char *err, size_t err_size)
{
	char why[256];
	char **v;

	v = lang_expand(tmpl, vars, why, sizeof why);
	if (v == NULL)
		util_seterr(err, err_size, "profile %s: %s", what, why);
	return v;
}

const char *const *
build_env(char **profile_env)
{
	if (profile_env != NULL && profile_env[0] != NULL)
		return (const char *const *)profile_env;
	return build_default_env;
}

int
build_run_command(const struct lang_profile *lp, const struct plan_limits *lim,
    const char *main, char **prog, char ***argv, char ***env, char *err, size_t err_size)
{
	struct lang_vars vars;
	char *src = lang_source_name(lp, main);
	int rc;

	*prog = xasprintf("%s/prog", lp->workdir);
	memset(&vars, 0, sizeof vars);
	vars.prog = *prog;
	vars.src = src;
	vars.main = main;
	vars.memory_bytes = lim->memory_bytes;
	vars.time_limit_ms = lim->time_ms;
	vars.workdir = lp->workdir;
	*env = NULL;
	*argv = build_expand((const char *const *)lp->run_argv, &vars, "run.argv", err,
	    err_size);
	if (*argv != NULL)
		*env = build_expand(build_env(lp->run_env), &vars, "run.env", err, err_size);
	rc = *argv != NULL && *env != NULL ? 0 : -1;
	free(src);
	return rc;
}

void
build_outcome_free(struct build_outcome *bo)
{
	buf_free(&bo->out);
	buf_free(&bo->err);
}

static void
build_push(struct docker_files *files, const char *path, const char *data, size_t len)
{
	struct docker_file *f;

	files->v = xrealloc(files->v, (files->n + 1) * sizeof *files->v);
	f = &files->v[files->n++];
	f->path = xstrdup(path);
	f->mode = 0644;
	f->data = xmemdup(data, len);
	f->len = len;
}

void
build_add_files(struct docker_files *files, const struct request_file *extra, size_t n)
{
	struct docker_files all;
	size_t i;

	memset(&all, 0, sizeof all);
	for (i = 0; i < n; i++)
		build_push(&all, extra[i].name, extra[i].content, extra[i].len);
	for (i = 0; i < files->n; i++) {
		all.v = xrealloc(all.v, (all.n + 1) * sizeof *all.v);
		all.v[all.n++] = files->v[i];
	}
	free(files->v);
	*files = all;
}

void
build_source_only(const struct build_input *in, struct docker_files *files)
{
	char *name = lang_source_name(in->lp, in->main);

	memset(files, 0, sizeof *files);
	build_push(files, name, in->source, in->source_len);
	free(name);
	build_add_files(files, in->files, in->nfiles);
}

/* Sends the source and the extra files into the box's build directory. */
static int
build_send(struct docker_box *box, const struct build_input *in, char *err, size_t err_size)
{
	char why[512], *path;
	size_t i;
	int r;

	char *name = lang_source_name(in->lp, in->main);

	path = xasprintf("build/%s", name);
	free(name);
	r = docker_box_put(box, path, in->source, in->source_len, 0644, why, sizeof why);
	free(path);
	for (i = 0; r == 0 && i < in->nfiles; i++) {
		path = xasprintf("build/%s", in->files[i].name);
		r = docker_box_put(box, path, in->files[i].content, in->files[i].len, 0644, why,
		    sizeof why);
		free(path);
	}
	if (r != 0)
		util_seterr(err, err_size, "sending the source: %s", why);
	return r;
}

int
build_command(const struct build_input *in, char ***argv, char ***env, char *err,
    size_t err_size)
{
	const struct lang_profile *lp = in->lp;
	struct lang_vars vars;
	char *prog = xasprintf("%s/build", lp->workdir);
	char *src = lang_source_name(lp, in->main);

	memset(&vars, 0, sizeof vars);
	vars.prog = prog;
	vars.src = src;
	vars.main = in->main;
	vars.memory_bytes = in->lim->memory_bytes;
	vars.time_limit_ms = in->lim->time_ms;
	vars.workdir = lp->workdir;
	*env = NULL;
	*argv = build_expand((const char *const *)lp->build_argv, &vars, "build.argv", err,
	    err_size);
	if (*argv != NULL)
		*env = build_expand(build_env(lp->build_env), &vars, "build.env", err, err_size);
	free(prog);
	free(src);
	if (*argv != NULL && *env != NULL)
		return 0;
	lang_strv_free(*argv);
	*argv = NULL;
	return -1;
}

/*
 * Whether a failed build would fail alike every time: it ended by itself
 * with an exit code, far from every limit. A compiler that was killed, or
 * failed near its time or memory bound, might not fail on a quieter host.
 */
static int
build_repeatable(const struct lang_profile *lp, const struct docker_exec_result *run)
{
	return run->exited && run->exit_code != 0 && !run->output_limit_hit &&
	    !run->oom_killed && !run->mem_limit_hit && !run->cpu_limit_hit &&
	    !run->wall_limit_hit && run->wall_ms < lp->build_time_ms / 2 &&
	    run->cpu_ms < lp->build_time_ms / 2 &&
	    (lp->build_memory_bytes <= 0 || run->memory_bytes < lp->build_memory_bytes / 2);
}

/* Whether a finished build step failed, and how it is told. */
static int
build_judge(const struct lang_profile *lp, struct docker_exec_result *run,
    struct build_outcome *bo)
{
	bo->wall_ms = run->wall_ms;
	bo->cpu_ms = run->cpu_ms;
	bo->memory_bytes = run->memory_bytes;
	if (!run->output_limit_hit && !run->oom_killed && !run->mem_limit_hit &&
	    !run->cpu_limit_hit && !run->wall_limit_hit && run->exited && run->exit_code == 0)
		return 0;
	bo->failed = 1;
	bo->repeatable = build_repeatable(lp, run);
	bo->exit_code = run->exited ? run->exit_code : 128 + run->signal;
	util_seterr(bo->reason, sizeof bo->reason, "%s",
	    run->output_limit_hit ? "build output limit exceeded" :
	    run->oom_killed || run->mem_limit_hit ? "build ran out of memory" :
	    run->cpu_limit_hit || run->wall_limit_hit ? "build time limit exceeded" :
	    "build failed");
	bo->out = run->out;
	bo->err = run->err;
	buf_init(&run->out);
	buf_init(&run->err);
	return 1;
}

int
build_program(const struct build_input *in, struct docker_box *shared,
    struct docker_files *files, struct build_outcome *bo, int *code_ran, char *err,
    size_t err_size)
{
	const struct lang_profile *lp = in->lp;
	struct docker_box_spec spec;
	struct docker_box *box = NULL;
	struct docker_exec ex;
	struct docker_exec_result run;
	char **argv = NULL, **env = NULL;
	char why[512];
	int64_t t0;
	int rc = -1;

	memset(bo, 0, sizeof *bo);
	buf_init(&bo->out);
	buf_init(&bo->err);
	memset(files, 0, sizeof *files);
	if (build_command(in, &argv, &env, err, err_size) != 0) {
		rc = 2;		/* a broken profile: final, retrying cannot help */
		goto out;
	}

	t0 = util_now_us();
	if (shared != NULL) {
		if (docker_box_ready(shared, why, sizeof why) != 0) {
			util_seterr(err, err_size, "run container: %s", why);
			goto out;
		}
		box = shared;
	} else {
		plan_build_box(lp, in->submission_id, in->role, &spec);
		if ((box = warm_take(&spec)) == NULL &&
		    (box = docker_box_open(&spec, why, sizeof why)) == NULL) {
			util_seterr(err, err_size, "build container: %s", why);
			goto out;
		}
	}
	log_debug("timing phase=%s-open us=%lld", in->role, (long long)(util_now_us() - t0));
	if (build_send(box, in, err, err_size) != 0)
		goto out;

	memset(&ex, 0, sizeof ex);
	ex.argv = (const char *const *)argv;
	ex.env = (const char *const *)env;
	ex.cwd = "build";
	/* Compilers may use several cores: CPU gets twice the wall budget. */
	ex.cpu_ms = 2 * lp->build_time_ms;
	ex.wall_ms = lp->build_time_ms;
	ex.output_cap = conf.output_cap_bytes;
	ex.file_size = BUILD_FILE_SIZE;
	t0 = util_now_us();
	/* From here on the source steers what runs: no failure is retried. */
	*code_ran = 1;
	if (docker_box_exec(box, &ex, &run, why, sizeof why) != 0) {
		util_seterr(err, err_size, "build: %s", why);
		goto out;
	}
	log_debug("timing phase=%s-exec host_us=%lld program_ms=%lld cpu_ms=%lld", in->role,
	    (long long)(util_now_us() - t0), (long long)run.wall_ms, (long long)run.cpu_ms);
	if (build_judge(lp, &run, bo)) {
		docker_exec_result_free(&run);
		rc = 1;
		goto out;
	}
	if (run.dirty && box == shared) {
		docker_exec_result_free(&run);
		util_seterr(err, err_size, "build: the box could not be cleaned after it");
		goto out;
	}
	docker_exec_result_free(&run);
	if (docker_box_fetch(box, "build", (const char *const *)lp->build_artifacts,
	    PLAN_ARTIFACT_MAX, files, why, sizeof why) != 0) {
		/* The build said it succeeded but left no artifact: the source's fault. */
		bo->failed = 1;
		util_seterr(bo->reason, sizeof bo->reason, "build produced no artifact: %s", why);
		rc = 1;
		goto out;
	}
	build_add_files(files, in->files, in->nfiles);
	rc = 0;
out:
	/* Removed while the run goes on; judge_submission waits for it at the end. */
	if (box != shared)
		docker_box_close_later(box);
	lang_strv_free(argv);
	lang_strv_free(env);
	return rc;
}
