/*
 * build.h - building one program (a submission, a checker, an interactor)
 * with its language profile's build step, in a box of the build image or
 * in a box shared with the run, and fetching its artifacts.
 */
#ifndef SCRC_BUILD_H
#define SCRC_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "docker.h"
#include "lang.h"
#include "plan.h"
#include "request.h"

/* What to build. Everything is borrowed for the call. */
struct build_input {
	const struct lang_profile	*lp;
	const char			*submission_id;
	const char			*role;		/* names the box: "build", "checker-build" */
	const char			*source;
	size_t				 source_len;
	const char			*main;		/* {main}: lang_main() of the source */
	const struct request_file	*files;		/* placed beside the source */
	size_t				 nfiles;
	const struct plan_limits	*lim;		/* for {memory_mb} & co in the argv */
};

/* How a build that ran went (filled by build_program). */
struct build_outcome {
	int		 failed;	/* the build step failed: a BF */
	int		 repeatable;	/* and would fail alike every time (cacheable) */
	int		 exit_code;
	int64_t		 wall_ms;
	int64_t		 cpu_ms;
	int64_t		 memory_bytes;
	struct buf	 out;		/* the compiler's output, whole (up to the cap) */
	struct buf	 err;
	char		 reason[256];	/* "build failed", "build ran out of memory", ... */
};

/*
 * Builds in.source (and in.files) and fetches the profile's artifacts into
 * files. shared: a ready-to-be box to build in instead of a new one (its
 * build directory is never seen by a test). *code_ran is set once the
 * build step started (from then on a failure is not retried). Returns 0
 * with files filled (and bo's wall, CPU and memory figures); 1 when the build failed (bo says how: BF); 2 when
 * the profile's templates cannot be expanded (err, final); -1 on an
 * infrastructure failure (err). Free bo with build_outcome_free().
 */
int	build_program(const struct build_input *in, struct docker_box *shared,
	    struct docker_files *files, struct build_outcome *bo, int *code_ran, char *err,
	    size_t err_size);
void	build_outcome_free(struct build_outcome *bo);

/*
 * The build step's argv and environment for in, expanded ({main}, limits
 * and all). 0 with both set (free with lang_strv_free), or -1 with err (a
 * broken profile; both NULL).
 */
int	build_command(const struct build_input *in, char ***argv, char ***env, char *err,
	    size_t err_size);

/*
 * The artifacts of a profile without a build step: the source itself, as
 * the profile's source name, and the extra files beside it.
 */
void	build_source_only(const struct build_input *in, struct docker_files *files);

/*
 * Adds copies of the extra files to files (before the artifacts, so that
 * an artifact of the same name wins when both are placed in order).
 */
void	build_add_files(struct docker_files *files, const struct request_file *extra,
	    size_t n);

/* Expands a profile template for the build or the run; NULL with err. */
char	**build_expand(const char *const *tmpl, const struct lang_vars *vars, const char *what,
	    char *err, size_t err_size);

/* The environment of a build or a run: the profile's, else a sane default. */
const char *const *build_env(char **profile_env);

/*
 * The run command of a profile under lim: its run argv and environment
 * expanded, with {prog} the program directory (its path into *prog) and
 * {main} main.
 * 0, or -1 with err (a broken profile); free all three either way.
 */
int	build_run_command(const struct lang_profile *lp, const struct plan_limits *lim,
	    const char *main, char **prog, char ***argv, char ***env, char *err,
	    size_t err_size);

#endif
