/*
 * lang.h - language profiles (lang/NAME.lang): parsing and validating them,
 * the set loaded from a directory, lookup by name or alias, the per-language
 * environment overrides (PYTHON_IMAGE & co) and expansion of the argv/env
 * templates with their {placeholders}. The format is described in lang/README.
 */
#ifndef SCRC_LANG_H
#define SCRC_LANG_H

#include <stddef.h>
#include <stdint.h>

/* Defaults of the format (lang/README). */
#define LANG_DEFAULT_PATH	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define LANG_DEFAULT_HOME	"HOME=/tmp"
#define LANG_DEFAULT_WORKDIR	"/box"
#define LANG_DEFAULT_BUILD_TIME_MS	30000
#define LANG_DEFAULT_BUILD_MEMORY	(INT64_C(1) << 30)
/* A profile file larger than this is refused. */
#define LANG_MAX_FILE_SIZE	65536

/*
 * One validated profile. Every char ** is a NULL-terminated vector (never
 * NULL unless said otherwise); argv and env entries are still templates, to
 * be passed through lang_expand(). The profile owns everything in it.
 */
struct lang_profile {
	char	 *name;			/* [a-z0-9_+-]+ */
	char	**aliases;		/* same charset, may be empty */
	char	 *description;		/* "" when absent */
	char	 *source;		/* plain file name, e.g. "main.c"; may hold {main} */

	char	 *build_image;		/* NULL when no build and none given */
	char	**build_argv;		/* NULL = no build step */
	char	**build_artifacts;	/* relative paths; NULL iff build_argv is NULL */
	char	**build_env;		/* "K=V" templates incl. PATH/HOME defaults */
	int64_t	  build_time_ms;
	int64_t	  build_memory_bytes;
	char	**build_packages;	/* may be empty */
	char	**build_setup;		/* shell lines run in build.image once built; may be empty */

	char	 *run_image;		/* never NULL: defaults to build_image */
	char	**run_argv;
	char	**run_env;		/* "K=V" templates incl. PATH/HOME defaults */
	char	**run_packages;		/* may be empty */
	char	**run_setup;		/* likewise for run.image */

	char	 *workdir;		/* absolute path of the writable tmpfs */
	int64_t	  memory_overhead_bytes;	/* added to the container and peak limits */
	int64_t	  pids_limit;		/* 0 = the server default */
	char	**oom_patterns;		/* stderr substrings meaning out of memory */
	char	**version_argv;		/* NULL when absent */
	char	**main_patterns;	/* regexes finding {main} in a source, in order */
	void	 *main_res;		/* their compiled forms (regex_t[]) */
	size_t	  nmain_res;
	char	 *main_default;		/* {main} when none matches ("Main") */
	char	 *self_test;		/* a program echoing its stdin, or NULL */
	int64_t	  time_factor_milli;	/* the submission's time limit x this / 1000 */
	int64_t	  memory_factor_milli;	/* its memory limit likewise (1000 = as asked) */
	char	**outcomes;		/* matrix cells it can reach: ok wa tl ml bf re */

	char	 *path;			/* file it came from, for messages */
	int	  name_line;		/* line of "name =", for messages */
	int	  aliases_line;		/* line of "aliases =", 0 when absent */
};

/* An ordered (by file name) set of profiles with unique names and aliases. */
struct lang_set;

/*
 * Parses one profile from text (len bytes, need not be NUL-terminated).
 * filename is used in messages ("FILE:LINE: message", or "FILE: message"
 * for a missing key) and copied into p->path; NULL means "<string>".
 * Applies no environment override. Returns a new profile (free it with
 * lang_profile_free), or NULL with errstr.
 */
struct lang_profile *lang_parse(const char *text, size_t len, const char *filename,
	    char *errstr, size_t errstr_size);

/* Frees a profile; NULL is a no-op. */
void	lang_profile_free(struct lang_profile *p);

/*
 * Applies the environment overrides for p->name, read with getenv now:
 * U_IMAGE (build and run image), U_RUN_IMAGE (run image, wins over U_IMAGE),
 * U_WORKDIR, where U is the name upper-cased with other characters than
 * [A-Z0-9] turned into '_'. Empty variables are ignored. Returns 0, or -1
 * with errstr for a malformed value (p is then unchanged).
 */
int	lang_apply_env(struct lang_profile *p, char *errstr, size_t errstr_size);

/*
 * Loads every "*.lang" file of dir (hidden files skipped) in file name
 * order, applies the environment overrides, and checks that each profile's
 * name matches its file name and that no name or alias is taken twice
 * (case-insensitively). An empty directory is an error. Returns a new set
 * (free it with lang_set_free), or NULL with errstr naming file and line.
 */
struct lang_set *lang_load_dir(const char *dir, char *errstr, size_t errstr_size);

/* Frees a set and its profiles; NULL is a no-op. */
void	lang_set_free(struct lang_set *s);

size_t	lang_set_count(const struct lang_set *s);
/* The i-th profile (i < lang_set_count), owned by the set. */
const struct lang_profile *lang_set_at(const struct lang_set *s, size_t i);

/*
 * Finds a profile by name or alias, ignoring ASCII case. Returns the
 * profile (owned by the set) or NULL when there is none (or name is NULL).
 */
const struct lang_profile *lang_find(const struct lang_set *s, const char *name);

/*
 * Values of the placeholders. Strings are borrowed; a NULL string or a
 * negative number makes its placeholders an expansion error.
 *   {prog}          prog: directory holding the artifacts (the build dir while building)
 *   {src}           src: the source file name (normally profile->source)
 *   {memory_bytes}  memory_bytes: the submission's memory limit
 *   {memory_kb}     memory_bytes / 1024
 *   {memory_mb}     memory_bytes / 1048576, at least 1 when memory_bytes > 0
 *   {time_limit_ms} time_limit_ms: the submission's CPU time limit
 *   {workdir}       workdir: normally profile->workdir
 *   {main}          main: the name lang_main() found in the source
 * "{{" stands for a literal "{"; a "}" alone is literal.
 */
struct lang_vars {
	const char	*prog;
	const char	*src;
	int64_t		 memory_bytes;
	int64_t		 time_limit_ms;
	const char	*workdir;
	const char	*main;
};

/*
 * Expands each template of the NULL-terminated vector tmpl. Returns a new
 * NULL-terminated vector (free it with lang_strv_free), or NULL with errstr
 * when tmpl or vars is NULL, a placeholder is unknown or unterminated, or its value
 * is missing.
 */
char	**lang_expand(const char *const *tmpl, const struct lang_vars *vars,
	    char *errstr, size_t errstr_size);

/*
 * The name a source calls its entry point by (Java's public class): the
 * last group of the first of the profile's main_pattern regexes that
 * matches src (up to its first NUL byte), when it is an identifier of at
 * most 64 bytes ([A-Za-z_$][A-Za-z0-9_$]*); else main_default. Into out.
 */
void	lang_main(const struct lang_profile *p, const char *src, char *out, size_t out_size);

/* The profile's source file name with {main} replaced by main (malloc'ed). */
char	*lang_source_name(const struct lang_profile *p, const char *main);

/*
 * 1 when a program in p's language can get the matrix outcome named (ok,
 * wa, tl, ml, bf, re; lower case), as its "outcomes" key says (by
 * default all six, or all but bf when there is no build step); else 0.
 */
int	lang_has_outcome(const struct lang_profile *p, const char *outcome);

/* Frees a NULL-terminated string vector; NULL is a no-op. */
void	lang_strv_free(char **v);

/* Number of entries of a NULL-terminated vector (0 for NULL). */
size_t	lang_strv_len(const char *const *v);

#endif
