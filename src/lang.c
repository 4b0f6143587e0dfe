/*
 * lang.c - language profiles. A profile is a small "key = value" file; this
 * file turns it into a validated struct lang_profile, so that everything
 * that can be wrong with a profile is reported at start-up with its file
 * and line, and judging never meets a malformed template.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lang.h"
#include "util.h"

/* How a key's value is read and checked. */
enum lang_kind {
	KIND_NAME,	/* one profile name */
	KIND_NAMES,	/* list of profile names */
	KIND_TEXT,	/* the rest of the line, as is */
	KIND_FILE,	/* a plain file name */
	KIND_IMAGE,	/* a docker image reference */
	KIND_ARGV,	/* list of templates */
	KIND_PATHS,	/* list of relative paths */
	KIND_ENV,	/* NAME=template */
	KIND_DURATION,
	KIND_BYTES,
	KIND_COUNT,	/* positive integer */
	KIND_PACKAGES,	/* list of Debian package names */
	KIND_ABSPATH,	/* an absolute directory */
	KIND_FACTOR,	/* a decimal number from 0.1 to 100 */
};

enum lang_key {
	KEY_NAME,
	KEY_ALIASES,
	KEY_DESCRIPTION,
	KEY_SOURCE,
	KEY_BUILD_IMAGE,
	KEY_BUILD_ARGV,
	KEY_BUILD_ARTIFACTS,
	KEY_BUILD_ENV,
	KEY_BUILD_TIME,
	KEY_BUILD_MEMORY,
	KEY_BUILD_PACKAGES,
	KEY_BUILD_SETUP,
	KEY_RUN_IMAGE,
	KEY_RUN_ARGV,
	KEY_RUN_ENV,
	KEY_RUN_PACKAGES,
	KEY_RUN_SETUP,
	KEY_WORKDIR,
	KEY_OVERHEAD,
	KEY_PIDS,
	KEY_OOM,
	KEY_VERSION,
	KEY_TIME_FACTOR,
	KEY_MEMORY_FACTOR,
	KEY_MAIN_PATTERN,
	KEY_MAIN_DEFAULT,
	KEY_SELF_TEST,
	KEY_OUTCOMES,
	KEY_COUNT_
};

static const struct {
	const char	*name;
	enum lang_kind	 kind;
	int		 repeat;
} lang_keys[KEY_COUNT_] = {
	[KEY_NAME] =		{ "name", KIND_NAME, 0 },
	[KEY_ALIASES] =		{ "aliases", KIND_NAMES, 0 },
	[KEY_DESCRIPTION] =	{ "description", KIND_TEXT, 0 },
	[KEY_SOURCE] =		{ "source", KIND_FILE, 0 },
	[KEY_BUILD_IMAGE] =	{ "build.image", KIND_IMAGE, 0 },
	[KEY_BUILD_ARGV] =	{ "build.argv", KIND_ARGV, 0 },
	[KEY_BUILD_ARTIFACTS] =	{ "build.artifacts", KIND_PATHS, 0 },
	[KEY_BUILD_ENV] =	{ "build.env", KIND_ENV, 1 },
	[KEY_BUILD_TIME] =	{ "build.time_limit", KIND_DURATION, 0 },
	[KEY_BUILD_MEMORY] =	{ "build.memory_limit", KIND_BYTES, 0 },
	[KEY_BUILD_PACKAGES] =	{ "build.packages", KIND_PACKAGES, 0 },
	[KEY_BUILD_SETUP] =	{ "build.image_setup", KIND_TEXT, 1 },
	[KEY_RUN_IMAGE] =	{ "run.image", KIND_IMAGE, 0 },
	[KEY_RUN_ARGV] =	{ "run.argv", KIND_ARGV, 0 },
	[KEY_RUN_ENV] =		{ "run.env", KIND_ENV, 1 },
	[KEY_RUN_PACKAGES] =	{ "run.packages", KIND_PACKAGES, 0 },
	[KEY_RUN_SETUP] =	{ "run.image_setup", KIND_TEXT, 1 },
	[KEY_WORKDIR] =		{ "workdir", KIND_ABSPATH, 0 },
	[KEY_OVERHEAD] =	{ "memory_overhead", KIND_BYTES, 0 },
	[KEY_PIDS] =		{ "pids_limit", KIND_COUNT, 0 },
	[KEY_OOM] =		{ "oom_pattern", KIND_TEXT, 1 },
	[KEY_VERSION] =		{ "version", KIND_ARGV, 0 },
	[KEY_TIME_FACTOR] =	{ "time_factor", KIND_FACTOR, 0 },
	[KEY_MEMORY_FACTOR] =	{ "memory_factor", KIND_FACTOR, 0 },
	[KEY_MAIN_PATTERN] =	{ "main_pattern", KIND_TEXT, 1 },
	[KEY_MAIN_DEFAULT] =	{ "main_default", KIND_TEXT, 0 },
	[KEY_SELF_TEST] =	{ "self_test", KIND_TEXT, 0 },
	[KEY_OUTCOMES] =	{ "outcomes", KIND_NAMES, 0 },
};

/* Placeholder names, in the order of struct lang_vars' documentation. */
static const char *const lang_placeholders[] = {
	"prog", "src", "memory_bytes", "memory_kb", "memory_mb", "time_limit_ms", "workdir",
	"main",
};

#define LANG_NAME_MAX	64
#define LANG_TEXT_MAX	255
#define LANG_PIDS_MAX	4194304

/* A growable NULL-terminated string vector. */
struct strv {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

struct lang_set {
	struct lang_profile	**v;
	size_t			  n;
};

/* Parsing state of one file. */
struct lang_parser {
	const char		*file;
	int			 line;		/* current line */
	int			 seen[KEY_COUNT_];	/* first line of a key, 0 = absent */
	struct lang_profile	*p;
	int64_t			 num[KEY_COUNT_];	/* parsed numbers */
	char			 msg[512];	/* detail of the last helper failure */
};

static void	strv_push(struct strv *s, char *str);
static char   **strv_finish(struct strv *s);
static void	set_msg(struct lang_parser *ps, const char *fmt, ...) UTIL_PRINTF(2, 3);
static int	valid_name(const char *s);
static int	valid_image(const char *s);
static int	valid_file(const char *s);
static int	lang_identifier(const char *s, size_t n);
static int	valid_relpath(const char *s);
static int	valid_abspath(const char *s);
static int	valid_package(const char *s);
static int	valid_env_name(const char *s, size_t n);
static int	split_words(struct lang_parser *ps, const char *s, struct strv *out);
static int	expand_word(const char *w, const struct lang_vars *vars, struct buf *out,
		    char *msg, size_t msg_size);
static int	check_template(struct lang_parser *ps, const char *w);
static int	parse_value(struct lang_parser *ps, enum lang_key key, const char *val);
static int	parse_line(struct lang_parser *ps, char *line);
static int	finish_profile(struct lang_parser *ps);
static char   **env_with_defaults(char **env);
static int	env_has(char *const *env, const char *name, size_t n);
static char    *read_file(const char *path, size_t *len, char *errstr, size_t errstr_size);
static int	cmp_str(const void *a, const void *b);
static const struct lang_profile *find_word(const struct lang_set *s, const char *w);

static void
strv_push(struct strv *s, char *str)
{
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

/* Hands the vector over (an empty one when nothing was pushed). */
static char **
strv_finish(struct strv *s)
{
	char **v = s->v;

	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	s->v = NULL;
	s->n = s->cap = 0;
	return v;
}

void
lang_strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

size_t
lang_strv_len(const char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

static void
set_msg(struct lang_parser *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->msg, sizeof ps->msg, fmt, ap);
	va_end(ap);
}

static int
valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > LANG_NAME_MAX)
		return 0;
	for (; *s != '\0'; s++) {
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    strchr("_+-", *s) != NULL))
			return 0;
	}
	return 1;
}

/* A docker reference such as "scrc/gcc:bookworm" or "host:5000/x@sha256:..". */
static int
valid_image(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > LANG_TEXT_MAX || !isalnum((unsigned char)*s))
		return 0;
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr("._/:@-", *s) == NULL)
			return 0;
	}
	return 1;
}

/* A plain file name, safe to use as one argv word and one path component. */
/* [A-Za-z_$][A-Za-z0-9_$]*, 1 to 64 bytes: a class or module name. */
static int
lang_identifier(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64 || isdigit((unsigned char)s[0]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '$')
			return 0;
	return 1;
}

void
lang_main(const struct lang_profile *p, const char *src, char *out, size_t out_size)
{
	const regex_t *res = p->main_res;
	regmatch_t m[10];
	size_t k, g;

	for (k = 0; src != NULL && k < p->nmain_res; k++) {
		if (regexec(&res[k], src, 10, m, 0) != 0)
			continue;
		g = res[k].re_nsub < 9 ? res[k].re_nsub : 9;
		if (m[g].rm_so >= 0 && lang_identifier(src + m[g].rm_so,
		    (size_t)(m[g].rm_eo - m[g].rm_so))) {
			snprintf(out, out_size, "%.*s", (int)(m[g].rm_eo - m[g].rm_so),
			    src + m[g].rm_so);
			return;
		}
	}
	snprintf(out, out_size, "%s", p->main_default != NULL ? p->main_default : "Main");
}

char *
lang_source_name(const struct lang_profile *p, const char *main)
{
	const char *at = strstr(p->source, "{main}");

	if (at == NULL)
		return xstrdup(p->source);
	return xasprintf("%.*s%s%s", (int)(at - p->source), p->source, main, at + 6);
}

static int
valid_file(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > LANG_TEXT_MAX || *s == '-' || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '/' || !isgraph((unsigned char)*s))
			return 0;
	}
	return 1;
}

/* A path inside the build directory: no leading '/', no "..", no empty part. */
static int
valid_relpath(const char *s)
{
	const char *part = s;
	size_t n = strlen(s);

	if (n == 0 || n > LANG_TEXT_MAX || *s == '/' || *s == '-')
		return 0;
	for (;;) {
		size_t len = strcspn(part, "/");

		if (len == 0 || (len == 2 && strncmp(part, "..", 2) == 0))
			return 0;
		for (size_t i = 0; i < len; i++) {
			if (!isprint((unsigned char)part[i]))
				return 0;
		}
		if (part[len] == '\0')
			return 1;
		part += len + 1;
	}
}

/* An absolute directory that can also appear in --tmpfs DIR:OPTIONS. */
static int
valid_abspath(const char *s)
{
	const char *part;

	if (*s != '/' || strlen(s) > LANG_TEXT_MAX || strpbrk(s, ":, ") != NULL ||
	    !valid_relpath(s + 1))
		return 0;
	/* valid_relpath() accepts "." parts (an artifact "." is the build dir). */
	for (part = s + 1;; part += strcspn(part, "/") + 1) {
		if (part[0] == '.' && (part[1] == '/' || part[1] == '\0'))
			return 0;
		if (strchr(part, '/') == NULL)
			return 1;
	}
}

/* Debian policy: [a-z0-9][a-z0-9+.-]+ */
static int
valid_package(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > LANG_TEXT_MAX || !(islower((unsigned char)*s) ||
	    isdigit((unsigned char)*s)))
		return 0;
	for (; *s != '\0'; s++) {
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    strchr("+.-", *s) != NULL))
			return 0;
	}
	return 1;
}

static int
valid_env_name(const char *s, size_t n)
{
	if (n == 0 || isdigit((unsigned char)*s))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	}
	return 1;
}

/*
 * Splits a list value into words: blanks separate words, double quotes
 * group (and may sit inside a word: -DX="a b"), and inside quotes \" and
 * \\ are the only escapes. Fails with ps->msg set.
 */
static int
split_words(struct lang_parser *ps, const char *s, struct strv *out)
{
	const char *p = s;
	struct buf w;

	buf_init(&w);
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		buf_reset(&w);
		buf_append(&w, "", 0);	/* an empty word "" is still a word */
		while (*p != '\0' && *p != ' ' && *p != '\t') {
			if (*p != '"') {
				buf_putc(&w, *p++);
				continue;
			}
			for (p++; *p != '"'; p++) {
				if (*p == '\0') {
					set_msg(ps, "unterminated quote");
					goto fail;
				}
				if (*p == '\\') {
					p++;
					if (*p == '\0') {
						set_msg(ps, "unterminated quote");
						goto fail;
					}
					if (*p != '"' && *p != '\\') {
						set_msg(ps, "unknown escape \"\\%c\" inside quotes "
						    "(only \\\" and \\\\)", *p);
						goto fail;
					}
				}
				buf_putc(&w, *p);
			}
			p++;
		}
		strv_push(out, xmemdup(w.data, w.len));
	}
	buf_free(&w);
	return 0;
fail:
	buf_free(&w);
	return -1;
}

/*
 * Expands one template into out. vars == NULL only checks the syntax and
 * the placeholder names. Fails with msg set.
 */
static int
expand_word(const char *w, const struct lang_vars *vars, struct buf *out, char *msg,
    size_t msg_size)
{
	const char *p = w;

	while (*p != '\0') {
		const char *end;
		size_t n, i;
		const char *str = NULL;
		int64_t num = -1;

		if (*p != '{') {
			buf_putc(out, *p++);
			continue;
		}
		if (p[1] == '{') {
			buf_putc(out, '{');
			p += 2;
			continue;
		}
		end = strchr(p, '}');
		if (end == NULL) {
			snprintf(msg, msg_size, "unterminated placeholder in \"%s\" "
			    "(write {{ for a literal brace)", w);
			return -1;
		}
		n = (size_t)(end - p - 1);
		for (i = 0; i < sizeof lang_placeholders / sizeof lang_placeholders[0]; i++) {
			if (strlen(lang_placeholders[i]) == n &&
			    memcmp(lang_placeholders[i], p + 1, n) == 0)
				break;
		}
		if (i == sizeof lang_placeholders / sizeof lang_placeholders[0]) {
			snprintf(msg, msg_size, "unknown placeholder {%.*s} in \"%s\"",
			    (int)(n > 64 ? 64 : n), p + 1, w);
			return -1;
		}
		p = end + 1;
		if (vars == NULL)
			continue;
		switch (i) {
		case 0: str = vars->prog; break;
		case 1: str = vars->src; break;
		case 2: num = vars->memory_bytes; break;
		case 3: num = vars->memory_bytes < 0 ? -1 : vars->memory_bytes / 1024; break;
		case 4:
			num = vars->memory_bytes < 0 ? -1 : vars->memory_bytes / (1024 * 1024);
			if (num == 0 && vars->memory_bytes > 0)
				num = 1;
			break;
		case 5: num = vars->time_limit_ms; break;
		case 6: str = vars->workdir; break;
		default: str = vars->main; break;
		}
		if (i == 0 || i == 1 || i >= 6) {
			if (str == NULL) {
				snprintf(msg, msg_size, "placeholder {%s} has no value",
				    lang_placeholders[i]);
				return -1;
			}
			buf_puts(out, str);
		} else {
			if (num < 0) {
				snprintf(msg, msg_size, "placeholder {%s} has no value",
				    lang_placeholders[i]);
				return -1;
			}
			buf_printf(out, "%" PRId64, num);
		}
	}
	return 0;
}

static int
check_template(struct lang_parser *ps, const char *w)
{
	struct buf scratch;
	int rc;

	buf_init(&scratch);
	rc = expand_word(w, NULL, &scratch, ps->msg, sizeof ps->msg);
	buf_free(&scratch);
	return rc;
}

char **
lang_expand(const char *const *tmpl, const struct lang_vars *vars, char *errstr,
    size_t errstr_size)
{
	struct strv out = { NULL, 0, 0 };
	struct buf b;
	char msg[512];
	size_t i;

	if (tmpl == NULL || vars == NULL) {
		util_seterr(errstr, errstr_size, "lang_expand: no template");
		return NULL;
	}
	buf_init(&b);
	for (i = 0; tmpl[i] != NULL; i++) {
		buf_reset(&b);
		buf_append(&b, "", 0);
		if (expand_word(tmpl[i], vars, &b, msg, sizeof msg) == -1) {
			util_seterr(errstr, errstr_size, "%s", msg);
			buf_free(&b);
			lang_strv_free(strv_finish(&out));
			return NULL;
		}
		strv_push(&out, xmemdup(b.data, b.len));
	}
	buf_free(&b);
	return strv_finish(&out);
}

/* Every outcome a language can have, in the order of the matrix. */
static const char *const lang_all_outcomes[] = { "ok", "wa", "tl", "ml", "bf", "re", NULL };

static char **
lang_strv_copy(const char *const *v)
{
	size_t i, n = lang_strv_len(v);
	char **c = xcalloc(n + 1, sizeof *c);

	for (i = 0; i < n; i++)
		c[i] = xstrdup(v[i]);
	return c;
}

/* Removes every entry equal to word from v (in place); returns v. */
static char **
strv_drop(char **v, const char *word)
{
	size_t i, j = 0;

	for (i = 0; v[i] != NULL; i++) {
		if (strcmp(v[i], word) == 0)
			free(v[i]);
		else
			v[j++] = v[i];
	}
	v[j] = NULL;
	return v;
}

int
lang_has_outcome(const struct lang_profile *p, const char *outcome)
{
	size_t i;

	for (i = 0; p->outcomes != NULL && p->outcomes[i] != NULL; i++)
		if (strcmp(p->outcomes[i], outcome) == 0)
			return 1;
	return 0;
}

/*
 * "outcomes": the matrix cells a program in this language can reach. Each
 * must be one of lang_all_outcomes, once; "ok" cannot be left out (the
 * self-test needs it). Takes v either way.
 */
static int
set_outcomes(struct lang_parser *ps, struct lang_profile *p, char **v)
{
	size_t i, j;

	for (i = 0; v[i] != NULL; i++) {
		for (j = 0; lang_all_outcomes[j] != NULL; j++)
			if (strcmp(v[i], lang_all_outcomes[j]) == 0)
				break;
		if (lang_all_outcomes[j] == NULL) {
			set_msg(ps, "unknown outcome \"%s\" (want ok wa tl ml bf re)", v[i]);
			goto fail;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(v[i], v[j]) == 0) {
				set_msg(ps, "outcome \"%s\" listed twice", v[i]);
				goto fail;
			}
		}
	}
	p->outcomes = v;
	if (!lang_has_outcome(p, "ok")) {
		p->outcomes = NULL;
		set_msg(ps, "outcomes must include ok");
		goto fail;
	}
	return 0;
fail:
	lang_strv_free(v);
	return -1;
}

/* Stores one value of key into the profile. Fails with ps->msg set. */
static int
parse_value(struct lang_parser *ps, enum lang_key key, const char *val)
{
	struct lang_profile *p = ps->p;
	struct strv words = { NULL, 0, 0 };
	const char *kname = lang_keys[key].name;
	char **v = NULL;
	size_t i;

	switch (lang_keys[key].kind) {
	case KIND_NAMES:
	case KIND_ARGV:
	case KIND_PATHS:
	case KIND_PACKAGES:
		if (split_words(ps, val, &words) == -1) {
			lang_strv_free(strv_finish(&words));
			return -1;
		}
		v = strv_finish(&words);
		for (i = 0; v[i] != NULL; i++) {
			const char *w = v[i];
			int ok = 1;

			switch (lang_keys[key].kind) {
			case KIND_NAMES:
				if (!valid_name(w)) {
					set_msg(ps, "bad %s \"%s\" (want [a-z0-9_+-]+)",
					    key == KEY_OUTCOMES ? "outcome" : "alias", w);
					ok = 0;
				}
				break;
			case KIND_ARGV:
				if (i == 0 && *w == '\0') {
					set_msg(ps, "%s: empty program name", kname);
					ok = 0;
				} else if (check_template(ps, w) == -1) {
					ok = 0;
				}
				break;
			case KIND_PATHS:
				if (!valid_relpath(w)) {
					set_msg(ps, "bad artifact path \"%s\" (want a "
					    "relative path without ..)", w);
					ok = 0;
				}
				break;
			default:
				if (!valid_package(w)) {
					set_msg(ps, "bad package name \"%s\"", w);
					ok = 0;
				}
				break;
			}
			if (!ok) {
				lang_strv_free(v);
				return -1;
			}
		}
		break;
	default:
		break;
	}

	switch (key) {
	case KEY_NAME:
		if (!valid_name(val)) {
			set_msg(ps, "bad name \"%s\" (want 1-%d of [a-z0-9_+-])", val,
			    LANG_NAME_MAX);
			return -1;
		}
		p->name = xstrdup(val);
		p->name_line = ps->line;
		return 0;
	case KEY_ALIASES:
		for (i = 0; v[i] != NULL; i++) {
			for (size_t j = 0; j < i; j++) {
				if (strcmp(v[i], v[j]) == 0) {
					set_msg(ps, "alias \"%s\" listed twice", v[i]);
					lang_strv_free(v);
					return -1;
				}
			}
		}
		p->aliases = v;
		p->aliases_line = ps->line;
		return 0;
	case KEY_OUTCOMES:
		return set_outcomes(ps, p, v);
	case KEY_DESCRIPTION:
		p->description = xstrdup(val);
		return 0;
	case KEY_SOURCE: {
		/* {main} stands for an identifier: check the name with one in its place. */
		char *probe = lang_source_name(&(struct lang_profile){ .source = (char *)val },
		    "Main");

		if (!valid_file(probe)) {
			free(probe);
			set_msg(ps, "bad source file name \"%s\" (want a plain file name)", val);
			return -1;
		}
		free(probe);
		p->source = xstrdup(val);
		return 0;
	}
	case KEY_MAIN_PATTERN: {
		struct strv grow;
		regex_t re;
		int e;

		if ((e = regcomp(&re, val, REG_EXTENDED | REG_NEWLINE)) != 0) {
			char why[128];

			regerror(e, &re, why, sizeof why);
			set_msg(ps, "bad main_pattern \"%s\": %s", val, why);
			return -1;
		}
		if (re.re_nsub == 0) {
			regfree(&re);
			set_msg(ps, "main_pattern \"%s\" has no (group) to take the name from", val);
			return -1;
		}
		regfree(&re);
		grow.v = p->main_patterns;
		grow.n = lang_strv_len((const char *const *)p->main_patterns);
		grow.cap = grow.n + 1;
		strv_push(&grow, xstrdup(val));
		p->main_patterns = grow.v;
		return 0;
	}
	case KEY_SELF_TEST: {
		/* One line holds a whole program: \n, \t and \\ stand for themselves. */
		struct buf prog;
		const char *c;

		buf_init(&prog);
		for (c = val; *c != '\0'; c++) {
			if (*c != '\\') {
				buf_putc(&prog, *c);
				continue;
			}
			c++;
			if (*c == 'n')
				buf_putc(&prog, '\n');
			else if (*c == 't')
				buf_putc(&prog, '\t');
			else if (*c == '\\')
				buf_putc(&prog, '\\');
			else {
				buf_free(&prog);
				set_msg(ps, "self_test: unknown escape \\%c (\\n, \\t, \\\\)",
				    *c != '\0' ? *c : ' ');
				return -1;
			}
		}
		buf_putc(&prog, '\n');
		p->self_test = buf_steal(&prog, NULL);
		return 0;
	}
	case KEY_MAIN_DEFAULT:
		if (!lang_identifier(val, strlen(val))) {
			set_msg(ps, "bad main_default \"%s\" (want an identifier)", val);
			return -1;
		}
		p->main_default = xstrdup(val);
		return 0;
	case KEY_BUILD_IMAGE:
	case KEY_RUN_IMAGE:
		if (!valid_image(val)) {
			set_msg(ps, "bad image name \"%s\"", val);
			return -1;
		}
		if (key == KEY_BUILD_IMAGE)
			p->build_image = xstrdup(val);
		else
			p->run_image = xstrdup(val);
		return 0;
	case KEY_BUILD_ARGV:
		p->build_argv = v;
		break;
	case KEY_RUN_ARGV:
		p->run_argv = v;
		break;
	case KEY_VERSION:
		p->version_argv = v;
		break;
	case KEY_BUILD_ARTIFACTS:
		p->build_artifacts = v;
		break;
	case KEY_BUILD_PACKAGES:
		p->build_packages = v;
		break;
	case KEY_RUN_PACKAGES:
		p->run_packages = v;
		break;
	case KEY_BUILD_ENV:
	case KEY_RUN_ENV: {
		char ***envp = key == KEY_BUILD_ENV ? &p->build_env : &p->run_env;
		const char *eq = strchr(val, '=');
		struct strv grow;

		if (eq == NULL || !valid_env_name(val, (size_t)(eq - val))) {
			set_msg(ps, "bad %s \"%s\" (want NAME=VALUE)", kname, val);
			return -1;
		}
		if (env_has(*envp, val, (size_t)(eq - val))) {
			set_msg(ps, "%s sets %.*s twice", kname, (int)(eq - val), val);
			return -1;
		}
		if (check_template(ps, eq + 1) == -1)
			return -1;
		grow.v = *envp;
		grow.n = lang_strv_len((const char *const *)*envp);
		grow.cap = grow.n + 1;
		strv_push(&grow, xstrdup(val));
		*envp = grow.v;
		return 0;
	}
	case KEY_BUILD_TIME:
		if (util_parse_duration_ms(val, &ps->num[key]) == -1 || ps->num[key] <= 0) {
			set_msg(ps, "bad duration \"%s\" for %s (e.g. 30s, 1m30s)", val, kname);
			return -1;
		}
		p->build_time_ms = ps->num[key];
		return 0;
	case KEY_BUILD_MEMORY:
	case KEY_OVERHEAD:
		if (util_parse_bytes(val, &ps->num[key]) == -1 ||
		    (key == KEY_BUILD_MEMORY && ps->num[key] == 0)) {
			set_msg(ps, "bad size \"%s\" for %s (e.g. 512M, 1G)", val, kname);
			return -1;
		}
		if (key == KEY_BUILD_MEMORY)
			p->build_memory_bytes = ps->num[key];
		else
			p->memory_overhead_bytes = ps->num[key];
		return 0;
	case KEY_PIDS: {
		char *end;
		long long n;

		errno = 0;
		n = strtoll(val, &end, 10);
		if (!isdigit((unsigned char)*val) || *end != '\0' || errno != 0 || n < 1 ||
		    n > LANG_PIDS_MAX) {
			set_msg(ps, "bad pids_limit \"%s\" (want 1-%d)", val, LANG_PIDS_MAX);
			return -1;
		}
		p->pids_limit = n;
		return 0;
	}
	case KEY_TIME_FACTOR:
	case KEY_MEMORY_FACTOR: {
		char *end;
		double f;

		errno = 0;
		f = strtod(val, &end);
		if (!isdigit((unsigned char)*val) || *end != '\0' || errno != 0 || !(f >= 0.1) ||
		    f > 100) {
			set_msg(ps, "bad %s \"%s\" (want a number from 0.1 to 100)", kname, val);
			return -1;
		}
		/* Kept in thousandths: limits stay integers, factors exact enough. */
		if (key == KEY_TIME_FACTOR)
			p->time_factor_milli = (int64_t)(f * 1000 + 0.5);
		else
			p->memory_factor_milli = (int64_t)(f * 1000 + 0.5);
		return 0;
	}
	case KEY_WORKDIR:
		if (!valid_abspath(val)) {
			set_msg(ps, "bad workdir \"%s\" (want an absolute path, no : or ,)", val);
			return -1;
		}
		p->workdir = xstrdup(val);
		return 0;
	case KEY_OOM:
	case KEY_BUILD_SETUP:
	case KEY_RUN_SETUP: {
		char ***list = key == KEY_OOM ? &p->oom_patterns :
		    key == KEY_BUILD_SETUP ? &p->build_setup : &p->run_setup;
		struct strv grow;

		grow.v = *list;
		grow.n = lang_strv_len((const char *const *)*list);
		grow.cap = grow.n + 1;
		strv_push(&grow, xstrdup(val));
		*list = grow.v;
		return 0;
	}
	case KEY_COUNT_:
		break;
	}
	/* A non-empty value always splits into at least one word. */
	return 0;
}

static int
env_has(char *const *env, const char *name, size_t n)
{
	for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return 1;
	}
	return 0;
}

/* The format's PATH and HOME defaults, unless the profile sets them. */
static char **
env_with_defaults(char **env)
{
	struct strv out = { NULL, 0, 0 };

	if (!env_has(env, "PATH", 4))
		strv_push(&out, xstrdup(LANG_DEFAULT_PATH));
	if (!env_has(env, "HOME", 4))
		strv_push(&out, xstrdup(LANG_DEFAULT_HOME));
	for (size_t i = 0; env != NULL && env[i] != NULL; i++)
		strv_push(&out, env[i]);
	free(env);
	return strv_finish(&out);
}

/* One line, NUL-terminated, without its newline. */
static int
parse_line(struct lang_parser *ps, char *line)
{
	char *eq, *key, *val, *end;
	size_t i;

	while (*line == ' ' || *line == '\t')
		line++;
	if (*line == '\0' || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (eq == NULL) {
		set_msg(ps, "expected \"key = value\"");
		return -1;
	}
	key = line;
	for (end = eq; end > key && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*end = '\0';
	val = eq + 1;
	while (*val == ' ' || *val == '\t')
		val++;
	for (end = val + strlen(val); end > val && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*end = '\0';
	if (*key == '\0') {
		set_msg(ps, "missing key before \"=\"");
		return -1;
	}
	for (i = 0; i < KEY_COUNT_; i++) {
		if (strcmp(key, lang_keys[i].name) == 0)
			break;
	}
	if (i == KEY_COUNT_) {
		set_msg(ps, "unknown key \"%.64s\"", key);
		return -1;
	}
	if (ps->seen[i] != 0 && !lang_keys[i].repeat) {
		set_msg(ps, "duplicate key \"%s\" (first on line %d)", key, ps->seen[i]);
		return -1;
	}
	if (*val == '\0') {
		set_msg(ps, "empty value for \"%s\"", key);
		return -1;
	}
	if (ps->seen[i] == 0)
		ps->seen[i] = ps->line;
	return parse_value(ps, (enum lang_key)i, val);
}

/* Cross-key checks and defaults once every line is read. */
static int
finish_profile(struct lang_parser *ps)
{
	static const enum lang_key required[] = { KEY_NAME, KEY_SOURCE, KEY_RUN_ARGV };
	static const enum lang_key build_only[] = {
		KEY_BUILD_ARTIFACTS, KEY_BUILD_ENV, KEY_BUILD_TIME, KEY_BUILD_MEMORY,
	};
	struct lang_profile *p = ps->p;
	size_t i;

	for (i = 0; i < sizeof required / sizeof required[0]; i++) {
		if (ps->seen[required[i]] == 0) {
			ps->line = 0;
			set_msg(ps, "missing required key \"%s\"", lang_keys[required[i]].name);
			return -1;
		}
	}
	if (p->build_argv != NULL) {
		if (p->build_image == NULL) {
			ps->line = ps->seen[KEY_BUILD_ARGV];
			set_msg(ps, "build.argv needs build.image");
			return -1;
		}
		if (p->build_artifacts == NULL) {
			ps->line = ps->seen[KEY_BUILD_ARGV];
			set_msg(ps, "build.argv needs build.artifacts (what the run gets)");
			return -1;
		}
	} else {
		for (i = 0; i < sizeof build_only / sizeof build_only[0]; i++) {
			if (ps->seen[build_only[i]] != 0) {
				ps->line = ps->seen[build_only[i]];
				set_msg(ps, "%s without build.argv", lang_keys[build_only[i]].name);
				return -1;
			}
		}
	}
	if (p->build_packages != NULL && p->build_image == NULL) {
		ps->line = ps->seen[KEY_BUILD_PACKAGES];
		set_msg(ps, "build.packages without build.image");
		return -1;
	}
	if (p->build_setup != NULL && p->build_image == NULL) {
		ps->line = ps->seen[KEY_BUILD_SETUP];
		set_msg(ps, "build.image_setup without build.image");
		return -1;
	}
	if (p->run_image == NULL) {
		if (p->build_image == NULL) {
			ps->line = 0;
			set_msg(ps, "missing required key \"run.image\" (no build.image to "
			    "default to)");
			return -1;
		}
		p->run_image = xstrdup(p->build_image);
	}
	for (i = 0; p->aliases != NULL && p->aliases[i] != NULL; i++) {
		if (strcmp(p->aliases[i], p->name) == 0) {
			ps->line = ps->seen[KEY_ALIASES];
			set_msg(ps, "alias \"%s\" is the profile's own name", p->name);
			return -1;
		}
	}

	if (p->outcomes == NULL) {
		/* Only a build can fail: without one, BF cannot exist. */
		p->outcomes = lang_strv_copy(lang_all_outcomes);
		if (p->build_argv == NULL)
			p->outcomes = strv_drop(p->outcomes, "bf");
	} else if (p->build_argv == NULL && lang_has_outcome(p, "bf")) {
		ps->line = ps->seen[KEY_OUTCOMES];
		set_msg(ps, "outcomes: bf needs build.argv (only a build can fail)");
		return -1;
	}
	if (p->aliases == NULL)
		p->aliases = xcalloc(1, sizeof *p->aliases);
	if (p->description == NULL)
		p->description = xstrdup("");
	if (p->build_packages == NULL)
		p->build_packages = xcalloc(1, sizeof *p->build_packages);
	if (p->run_packages == NULL)
		p->run_packages = xcalloc(1, sizeof *p->run_packages);
	if (p->oom_patterns == NULL)
		p->oom_patterns = xcalloc(1, sizeof *p->oom_patterns);
	if (p->build_setup == NULL)
		p->build_setup = xcalloc(1, sizeof *p->build_setup);
	if (p->run_setup == NULL)
		p->run_setup = xcalloc(1, sizeof *p->run_setup);
	if (p->workdir == NULL)
		p->workdir = xstrdup(LANG_DEFAULT_WORKDIR);
	if (ps->seen[KEY_BUILD_TIME] == 0)
		p->build_time_ms = LANG_DEFAULT_BUILD_TIME_MS;
	if (p->time_factor_milli == 0)
		p->time_factor_milli = 1000;
	if (p->memory_factor_milli == 0)
		p->memory_factor_milli = 1000;
	if (p->main_default == NULL)
		p->main_default = xstrdup("Main");
	if (p->main_patterns != NULL) {
		size_t k, n = lang_strv_len((const char *const *)p->main_patterns);
		regex_t *res = xcalloc(n, sizeof *res);

		/* Each compiled once when parsed: they cannot fail now. */
		for (k = 0; k < n; k++)
			if (regcomp(&res[k], p->main_patterns[k], REG_EXTENDED | REG_NEWLINE) == 0)
				p->nmain_res = k + 1;
		p->main_res = res;
	}
	if (ps->seen[KEY_BUILD_MEMORY] == 0)
		p->build_memory_bytes = LANG_DEFAULT_BUILD_MEMORY;
	p->build_env = env_with_defaults(p->build_env);
	p->run_env = env_with_defaults(p->run_env);
	return 0;
}

struct lang_profile *
lang_parse(const char *text, size_t len, const char *filename, char *errstr,
    size_t errstr_size)
{
	struct lang_parser ps;
	char *copy, *line, *next;

	memset(&ps, 0, sizeof ps);
	ps.file = filename != NULL ? filename : "<string>";
	if (len > LANG_MAX_FILE_SIZE) {
		util_seterr(errstr, errstr_size, "%s: larger than %d bytes", ps.file,
		    LANG_MAX_FILE_SIZE);
		return NULL;
	}
	ps.p = xcalloc(1, sizeof *ps.p);
	ps.p->path = xstrdup(ps.file);
	copy = xmemdup(text, len);
	for (line = copy; line != NULL; line = next) {
		size_t n;

		ps.line++;
		next = memchr(line, '\n', len - (size_t)(line - copy));
		n = next != NULL ? (size_t)(next - line) : len - (size_t)(line - copy);
		if (next != NULL)
			*next++ = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (strlen(line) != n) {
			set_msg(&ps, "NUL byte in line");
			goto fail;
		}
		if (parse_line(&ps, line) == -1)
			goto fail;
		if (next != NULL && (size_t)(next - copy) == len)
			break;
	}
	if (finish_profile(&ps) == -1)
		goto fail;
	free(copy);
	return ps.p;
fail:
	if (ps.line > 0)
		util_seterr(errstr, errstr_size, "%s:%d: %s", ps.file, ps.line, ps.msg);
	else
		util_seterr(errstr, errstr_size, "%s: %s", ps.file, ps.msg);
	free(copy);
	lang_profile_free(ps.p);
	return NULL;
}

void
lang_profile_free(struct lang_profile *p)
{
	if (p == NULL)
		return;
	free(p->name);
	lang_strv_free(p->aliases);
	free(p->description);
	free(p->source);
	free(p->build_image);
	lang_strv_free(p->build_argv);
	lang_strv_free(p->build_artifacts);
	lang_strv_free(p->build_env);
	lang_strv_free(p->build_packages);
	free(p->run_image);
	lang_strv_free(p->run_argv);
	lang_strv_free(p->run_env);
	lang_strv_free(p->run_packages);
	free(p->workdir);
	lang_strv_free(p->oom_patterns);
	lang_strv_free(p->build_setup);
	lang_strv_free(p->run_setup);
	lang_strv_free(p->main_patterns);
	if (p->main_res != NULL) {
		regex_t *res = p->main_res;
		size_t i;

		for (i = 0; i < p->nmain_res; i++)
			regfree(&res[i]);
		free(res);
	}
	free(p->main_default);
	free(p->self_test);
	lang_strv_free(p->outcomes);
	lang_strv_free(p->version_argv);
	free(p->path);
	free(p);
}

int
lang_apply_env(struct lang_profile *p, char *errstr, size_t errstr_size)
{
	static const char *const suffixes[] = { "_IMAGE", "_RUN_IMAGE", "_WORKDIR" };
	const char *val[3];
	char var[3][LANG_NAME_MAX + 16];
	size_t i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; p->name[j] != '\0' && j < LANG_NAME_MAX; j++) {
			unsigned char c = (unsigned char)p->name[j];

			var[i][j] = isalnum(c) ? (char)toupper(c) : '_';
		}
		snprintf(var[i] + j, sizeof var[i] - j, "%s", suffixes[i]);
		val[i] = getenv(var[i]);
		if (val[i] != NULL && *val[i] == '\0')
			val[i] = NULL;
	}
	for (i = 0; i < 2; i++) {
		if (val[i] != NULL && !valid_image(val[i])) {
			util_seterr(errstr, errstr_size, "%s=%s: bad image name", var[i], val[i]);
			return -1;
		}
	}
	if (val[2] != NULL && !valid_abspath(val[2])) {
		util_seterr(errstr, errstr_size, "%s=%s: bad workdir (want an absolute path, "
		    "no : or ,)", var[2], val[2]);
		return -1;
	}
	if (val[0] != NULL) {
		free(p->build_image);
		p->build_image = xstrdup(val[0]);
		free(p->run_image);
		p->run_image = xstrdup(val[0]);
	}
	if (val[1] != NULL) {
		free(p->run_image);
		p->run_image = xstrdup(val[1]);
	}
	if (val[2] != NULL) {
		free(p->workdir);
		p->workdir = xstrdup(val[2]);
	}
	return 0;
}

static char *
read_file(const char *path, size_t *len, char *errstr, size_t errstr_size)
{
	struct stat st;
	char *data;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		util_seterr(errstr, errstr_size, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		util_seterr(errstr, errstr_size, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_size > LANG_MAX_FILE_SIZE) {
		util_seterr(errstr, errstr_size, "%s: larger than %d bytes", path,
		    LANG_MAX_FILE_SIZE);
		close(fd);
		return NULL;
	}
	/* One spare byte tells a file that grew while we read it. */
	data = xmalloc((size_t)st.st_size + 2);
	for (;;) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size + 1 - got);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			util_seterr(errstr, errstr_size, "%s: %s", path, strerror(errno));
			free(data);
			close(fd);
			return NULL;
		}
		if (n == 0 || got + (size_t)n > (size_t)st.st_size)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got > (size_t)st.st_size) {
		util_seterr(errstr, errstr_size, "%s: changed while being read", path);
		free(data);
		return NULL;
	}
	data[got] = '\0';
	*len = got;
	return data;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The profile of the set whose name or one of whose aliases is w. */
static const struct lang_profile *
find_word(const struct lang_set *s, const char *w)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct lang_profile *p = s->v[i];

		if (strcasecmp(p->name, w) == 0)
			return p;
		for (size_t j = 0; p->aliases[j] != NULL; j++) {
			if (strcasecmp(p->aliases[j], w) == 0)
				return p;
		}
	}
	return NULL;
}

struct lang_set *
lang_load_dir(const char *dir, char *errstr, size_t errstr_size)
{
	struct strv files = { NULL, 0, 0 };
	struct lang_set *s;
	struct dirent *de;
	char **names;
	DIR *d;
	size_t i;

	d = opendir(dir);
	if (d == NULL) {
		util_seterr(errstr, errstr_size, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] != '.' && n > 5 && strcmp(de->d_name + n - 5, ".lang") == 0)
			strv_push(&files, xstrdup(de->d_name));
	}
	closedir(d);
	names = strv_finish(&files);
	if (names[0] == NULL) {
		util_seterr(errstr, errstr_size, "%s: no *.lang profiles", dir);
		lang_strv_free(names);
		return NULL;
	}
	qsort(names, lang_strv_len((const char *const *)names), sizeof *names, cmp_str);

	s = xcalloc(1, sizeof *s);
	s->v = xcalloc(lang_strv_len((const char *const *)names), sizeof *s->v);
	for (i = 0; names[i] != NULL; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		size_t len, stem = strlen(names[i]) - 5;
		const struct lang_profile *other;
		struct lang_profile *p;
		char *text;

		text = read_file(path, &len, errstr, errstr_size);
		p = text != NULL ? lang_parse(text, len, path, errstr, errstr_size) : NULL;
		free(text);
		free(path);
		if (p == NULL)
			goto fail;
		if (lang_apply_env(p, errstr, errstr_size) == -1) {
			lang_profile_free(p);
			goto fail;
		}
		if (strlen(p->name) != stem || strncmp(p->name, names[i], stem) != 0) {
			util_seterr(errstr, errstr_size, "%s:%d: name \"%s\" does not match "
			    "the file name (want %.*s)", p->path, p->name_line, p->name,
			    (int)stem, names[i]);
			lang_profile_free(p);
			goto fail;
		}
		/* Names and aliases are unique across the profiles loaded before. */
		other = find_word(s, p->name);
		if (other != NULL) {
			util_seterr(errstr, errstr_size, "%s:%d: name \"%s\" is already taken "
			    "by profile %s (%s)", p->path, p->name_line, p->name, other->name,
			    other->path);
			lang_profile_free(p);
			goto fail;
		}
		for (size_t j = 0; p->aliases[j] != NULL; j++) {
			other = find_word(s, p->aliases[j]);
			if (other != NULL) {
				util_seterr(errstr, errstr_size, "%s:%d: alias \"%s\" is "
				    "already taken by profile %s (%s)", p->path,
				    p->aliases_line, p->aliases[j], other->name, other->path);
				lang_profile_free(p);
				goto fail;
			}
		}
		s->v[s->n++] = p;
	}
	lang_strv_free(names);
	return s;
fail:
	lang_strv_free(names);
	lang_set_free(s);
	return NULL;
}

void
lang_set_free(struct lang_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		lang_profile_free(s->v[i]);
	free(s->v);
	free(s);
}

size_t
lang_set_count(const struct lang_set *s)
{
	return s != NULL ? s->n : 0;
}

const struct lang_profile *
lang_set_at(const struct lang_set *s, size_t i)
{
	return s != NULL && i < s->n ? s->v[i] : NULL;
}

const struct lang_profile *
lang_find(const struct lang_set *s, const char *name)
{
	if (s == NULL || name == NULL)
		return NULL;
	return find_word(s, name);
}
