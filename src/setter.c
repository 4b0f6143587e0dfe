/*
 * setter.c - problem setters' programs in boxes of their own. The program
 * is trusted (the problem setter wrote it) but still sandboxed like any
 * other: its box is not the submission's, so the submission can neither
 * read nor alter it, and its time and memory are never billed to the
 * submission.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "conf.h"
#include "progcache.h"
#include "setter.h"
#include "tally.h"
#include "util.h"
#include "verdict.h"
#include "warm.h"

struct setter {
	const char			*what;
	const struct lang_profile	*lp;
	struct plan_limits		 lim;
	struct docker_box_spec		 spec;
	char				*role;
	struct docker_box		*box;
	struct docker_files		 files;
	char				 main[72];	/* {main} of its source */
	char				**argv;		/* the run argv, expanded */
	char				**env;
	char				*prog;
	char				*io[3];		/* absolute paths of the files given */
};

/* The build's first line of compiler output, for the IE message. */
static void
setter_build_message(const struct build_outcome *bo, char *out, size_t size)
{
	const struct buf *b = bo->err.len > 0 ? &bo->err : &bo->out;
	size_t n = b->len > 0 ? strcspn(b->data, "\n") : 0;

	util_seterr(out, size, "%s%s%.*s", bo->reason, n > 0 ? ": " : "",
	    (int)(n > 300 ? 300 : n), n > 0 ? b->data : "");
}

/*
 * The program's artifacts: from the cache, else built (and cached). The
 * key's lock is held across the build, so two judges needing the same
 * checker build it once. 0, 1 (the spec is at fault, err), -1 (infra).
 */
static int
setter_artifacts(struct setter *s, const struct request_program *spec,
    const char *submission_id, char *err, size_t err_size)
{
	struct build_input in;
	struct build_outcome bo;
	char key[65] = "", why[512];
	int64_t t0 = util_now_ms();
	int lock, r, code_ran = 0;

	memset(&in, 0, sizeof in);
	in.lp = s->lp;
	in.submission_id = submission_id;
	in.role = s->role;
	in.source = spec->source;
	in.source_len = spec->source_len;
	in.main = s->main;
	in.files = spec->files;
	in.nfiles = spec->nfiles;
	in.lim = &s->lim;
	lock = progcache_key("setter", &in, key) == 0 ? progcache_lock(key) : -1;
	/* Only builds that succeeded are stored under a setter's key. */
	if (lock >= 0 && progcache_get(key, &s->files, &bo) == 0) {
		progcache_unlock(lock);
		log_info("%s: cache hit %.16s (%s)", s->what, key, s->lp->name);
		tally_add(TALLY_CACHE_HITS, 1);
		return 0;
	}
	if (lock >= 0) {	/* -1: the cache is off, which is no miss */
		build_outcome_free(&bo);
		tally_add(TALLY_CACHE_MISSES, 1);
	}
	if (s->lp->build_argv == NULL) {
		build_source_only(&in, &s->files);
		r = 0;
	} else
		r = build_program(&in, NULL, &s->files, &bo, &code_ran, why, sizeof why);
	if (r == 0) {
		if (lock >= 0)
			progcache_put(key, &s->files);
		log_info("%s: built %.16s (%s) in %lld ms", s->what, key, s->lp->name,
		    (long long)(util_now_ms() - t0));
	} else if (r == 1) {
		setter_build_message(&bo, why, sizeof why);
		util_seterr(err, err_size, "%s did not build: %s", s->what, why);
	} else
		util_seterr(err, err_size, "%s: %s", s->what, why);
	if (s->lp->build_argv != NULL)
		build_outcome_free(&bo);
	progcache_unlock(lock);
	return r == 0 ? 0 : r == 1 || r == 2 ? 1 : -1;
}

/* Launches the box and places the program in it. 0, or -1 with err. */
static int
setter_place(struct setter *s, char *err, size_t err_size)
{
	char why[512], *path;
	size_t i;

	if ((s->box = warm_take(&s->spec)) == NULL)
		s->box = docker_box_launch(&s->spec, why, sizeof why);
	if (s->box == NULL || docker_box_ready(s->box, why, sizeof why) != 0) {
		util_seterr(err, err_size, "%s container: %s", s->what, why);
		return -1;
	}
	for (i = 0; i < s->files.n; i++) {
		path = xasprintf("prog/%s", s->files.v[i].path);
		if (docker_box_put(s->box, path, s->files.v[i].data, s->files.v[i].len,
		    s->files.v[i].mode, why, sizeof why) != 0) {
			free(path);
			util_seterr(err, err_size, "sending the %s: %s", s->what, why);
			return -1;
		}
		free(path);
	}
	return 0;
}

struct setter *
setter_open(const struct lang_set *langs, const struct request_program *spec,
    const char *what, const char *submission_id, int64_t max_io, const char *ipc_volume,
    int *final, char *err, size_t err_size)
{
	static const char *const io_names[3] = { "input", "output", "answer" };
	struct setter *s;
	int64_t artifacts = 0;
	size_t i;
	int r;

	*final = 1;
	s = xcalloc(1, sizeof *s);
	s->what = what;
	s->role = xstrdup(what);
	s->lp = lang_find(langs, spec->language);
	if (s->lp == NULL) {
		util_seterr(err, err_size, "%s: unknown language \"%s\"", what, spec->language);
		goto fail;
	}
	plan_setter_limits(spec, &s->lim);
	lang_main(s->lp, spec->source, s->main, sizeof s->main);
	if (build_run_command(s->lp, &s->lim, s->main, &s->prog, &s->argv, &s->env, err,
	    err_size) != 0)
		goto fail;
	for (i = 0; i < 3; i++)
		s->io[i] = xasprintf("%s/io/%s", s->lp->workdir, io_names[i]);

	r = setter_artifacts(s, spec, submission_id, err, err_size);
	if (r != 0) {
		*final = r > 0;
		goto fail;
	}
	for (i = 0; i < s->files.n; i++)
		artifacts += (int64_t)s->files.v[i].len;
	plan_run_box(s->lp, submission_id, s->role, &s->lim, artifacts, 3 * max_io, 1,
	    &s->spec);
	s->spec.ipc_volume = ipc_volume;
	if (setter_place(s, err, err_size) != 0) {
		*final = 0;
		goto fail;
	}
	return s;
fail:
	setter_close(s);
	return NULL;
}

/* Replaces a box a run left unclean with a fresh one. 0, or -1 with err. */
static int
setter_renew(struct setter *s, char *err, size_t err_size)
{
	log_warn("%s: its box could not be cleaned after a run; judging on in a new one",
	    s->what);
	docker_box_close(s->box);
	s->box = NULL;
	return setter_place(s, err, err_size);
}

/* Keeps the start of a checker's stderr as its message. */
static void
setter_message(struct result_test *t, const struct buf *err)
{
	size_t n = err->len > SETTER_MESSAGE_MAX ? SETTER_MESSAGE_MAX : err->len;

	buf_reset(&t->checker_msg);
	buf_append(&t->checker_msg, err->data != NULL ? err->data : "", n);
}

/*
 * What the program's finished run says of the test, into t: its exit code
 * by testlib's convention, or IE when it failed (its own limits, a crash).
 */
static void
setter_decide(struct setter *s, const struct docker_exec_result *run, struct result_test *t)
{
	struct verdict_limits o;
	struct verdict_testlib v;
	enum result_status st;
	char why[256];

	memset(&o, 0, sizeof o);
	o.memory_allowed = s->lim.memory_bytes + s->lp->memory_overhead_bytes;
	o.oom_patterns = (const char *const *)s->lp->oom_patterns;
	o.time_ms = s->lim.time_ms;
	st = verdict_classify(run, &o, -1, why, sizeof why);
	setter_message(t, &run->err);
	t->scored = 1;
	t->score = 0;
	if (st != RESULT_OK && !(st == RESULT_RE && run->exited)) {
		/* Its own limits or a crash: the checker failed, not the program. */
		t->status = RESULT_IE;
		t->checker_status = "FAIL";
		free(t->error);
		t->error = xasprintf("%s failed: %s", s->what, why);
	} else {
		verdict_testlib(run->exit_code, run->err.data, run->err.len, &v);
		t->status = v.status;
		t->score = v.score;
		t->checker_status = v.checker_status;
		free(t->error);
		t->error = NULL;
		if (v.status == RESULT_IE) {
			size_t n = strcspn(run->err.data != NULL ? run->err.data : "", "\n");

			t->error = xasprintf("%s failed (exit code %d)%s%.*s", s->what,
			    run->exit_code, n > 0 ? ": " : "", (int)(n > 200 ? 200 : n),
			    n > 0 ? run->err.data : "");
		} else if (v.status != RESULT_OK) {
			free(t->reason);
			t->reason = xasprintf("%s: %s", s->what, strcmp(v.checker_status,
			    "PARTIAL") == 0 ? "partial score" : strcmp(v.checker_status, "PE") == 0 ?
			    "presentation error" : "wrong answer");
		}
	}
}

/* Puts one file under io/ in the box. 0, or -1 with err. */
static int
setter_put_io(struct setter *s, const char *name, const char *data, size_t len, char *err,
    size_t err_size)
{
	char why[512], *path = xasprintf("io/%s", name);
	int r = docker_box_put(s->box, path, data != NULL ? data : "", len, 0644, why,
	    sizeof why);

	free(path);
	if (r != 0)
		util_seterr(err, err_size, "%s: sending its files: %s", s->what, why);
	return r;
}

int
setter_check(struct setter *s, const char *input, size_t input_len, const char *output,
    size_t output_len, const char *answer, size_t answer_len, struct result_test *t,
    char *err, size_t err_size)
{
	const char *data[3] = { input, output, answer };
	size_t lens[3] = { input_len, output_len, answer_len }, i, argc;
	const char **argv;
	struct docker_exec ex;
	struct docker_exec_result run;
	char why[512];

	for (i = 0; i < 3; i++)
		if (setter_put_io(s, strrchr(s->io[i], '/') + 1, data[i], lens[i], err,
		    err_size) != 0)
			return -1;
	argc = lang_strv_len((const char *const *)s->argv);
	argv = xcalloc(argc + 4, sizeof *argv);
	memcpy(argv, s->argv, argc * sizeof *argv);
	for (i = 0; i < 3; i++)
		argv[argc + i] = s->io[i];
	memset(&ex, 0, sizeof ex);
	ex.argv = argv;
	ex.env = (const char *const *)s->env;
	ex.cpu_ms = s->lim.time_ms;
	ex.wall_ms = s->lim.wall_ms;
	ex.output_cap = conf.output_cap_bytes;
	ex.file_size = conf.file_size_bytes;
	ex.mem_limit = s->lim.memory_bytes + s->lp->memory_overhead_bytes;
	if (docker_box_exec(s->box, &ex, &run, why, sizeof why) != 0) {
		free(argv);
		util_seterr(err, err_size, "%s: %s", s->what, why);
		return -1;
	}
	free(argv);

	setter_decide(s, &run, t);
	i = (size_t)run.dirty;
	docker_exec_result_free(&run);
	if (i && setter_renew(s, err, err_size) != 0)
		return -1;
	return 0;
}

/* The directory the interactor runs in and writes OUTPUT to. */
#define SETTER_INTERACT_DIR	"interact"

int
setter_interact_start(struct setter *s, const char *input, size_t input_len,
    const char *to_prog, const char *from_prog, char *err, size_t err_size)
{
	struct docker_exec ex;
	const char **argv;
	size_t argc;
	char why[512];
	int r;

	/* scrc-box makes (and empties) the directory it runs in. */
	if (setter_put_io(s, "input", input, input_len, err, err_size) != 0)
		return -1;
	argc = lang_strv_len((const char *const *)s->argv);
	argv = xcalloc(argc + 3, sizeof *argv);
	memcpy(argv, s->argv, argc * sizeof *argv);
	argv[argc] = s->io[0];
	argv[argc + 1] = "output";	/* in its own directory, fetched afterwards */
	memset(&ex, 0, sizeof ex);
	ex.argv = argv;
	ex.env = (const char *const *)s->env;
	ex.cwd = SETTER_INTERACT_DIR;
	ex.cpu_ms = s->lim.time_ms;
	ex.wall_ms = s->lim.wall_ms;
	ex.output_cap = conf.output_cap_bytes;
	ex.file_size = conf.file_size_bytes;
	ex.mem_limit = s->lim.memory_bytes + s->lp->memory_overhead_bytes;
	ex.fifo_in = from_prog;
	ex.fifo_out = to_prog;
	/* The program opens its stdin first: we open our stdout first. */
	ex.fifo_out_first = 1;
	r = docker_box_exec_start(s->box, &ex, why, sizeof why);
	free(argv);
	if (r != 0)
		util_seterr(err, err_size, "%s: %s", s->what, why);
	return r;
}

struct docker_box *
setter_box(struct setter *s)
{
	return s->box;
}

int
setter_interact_finish(struct setter *s, struct docker_exec_result *run,
    struct result_test *t, struct buf *output, char *err, size_t err_size)
{
	const char *names[] = { "output", NULL };
	struct docker_files got;
	char why[512];
	int dirty = run->dirty;

	setter_decide(s, run, t);
	docker_exec_result_free(run);
	buf_reset(output);
	/* Before the next run, which removes the directory. */
	if (docker_box_fetch(s->box, SETTER_INTERACT_DIR, names, PLAN_ARTIFACT_MAX, &got, why,
	    sizeof why) == 0) {
		if (got.n == 1)
			buf_append(output, got.v[0].data, got.v[0].len);
		docker_files_free(&got);
	} else if (docker_box_ready(s->box, why, sizeof why) != 0) {
		util_seterr(err, err_size, "%s: %s", s->what, why);
		return -1;
	}
	if (dirty && setter_renew(s, err, err_size) != 0)
		return -1;
	return 0;
}

void
setter_close(struct setter *s)
{
	size_t i;

	if (s == NULL)
		return;
	docker_box_close_later(s->box);
	docker_files_free(&s->files);
	lang_strv_free(s->argv);
	lang_strv_free(s->env);
	free(s->prog);
	free(s->role);
	for (i = 0; i < 3; i++)
		free(s->io[i]);
	free(s);
}
