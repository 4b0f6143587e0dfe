/*
 * test_lang.c - unit tests of the language profiles: the real lang/ files
 * load and make sense, each broken fixture fails with its exact file:line
 * message, quoting, placeholders, environment overrides and lookups.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang.h"
#include "util.h"

static const char	*lang_dir(void);
static const char	*data_dir(void);
static char		*slurp(const char *path, size_t *len);
static struct lang_profile *parse_str(const char *text, char *err, size_t errsz);
static void		 clear_overrides(void);

static const char *
lang_dir(void)
{
	const char *d = getenv("SCRC_TEST_LANG_DIR");

	return d != NULL && *d != '\0' ? d : "lang";
}

static const char *
data_dir(void)
{
	const char *d = getenv("SCRC_TEST_DATA");

	return d != NULL && *d != '\0' ? d : "tests/data";
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		fail_msg("cannot open %s (set SCRC_TEST_DATA / SCRC_TEST_LANG_DIR)", path);
	buf_init(&b);
	buf_append(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_steal(&b, len);
}

static struct lang_profile *
parse_str(const char *text, char *err, size_t errsz)
{
	err[0] = '\0';
	return lang_parse(text, strlen(text), "t.lang", err, errsz);
}

/* The overrides our real profiles could pick up from the caller's shell. */
static void
clear_overrides(void)
{
	static const char *const names[] = {
		"PYTHON", "C", "CPP", "GO", "JAVA", "JAVASCRIPT", "ALPHA", "BETA", "PLAIN",
		"OBJ_C", "RUBY",
	};
	static const char *const sfx[] = { "_IMAGE", "_RUN_IMAGE", "_WORKDIR" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		for (size_t j = 0; j < 3; j++) {
			char var[64];

			snprintf(var, sizeof var, "%s%s", names[i], sfx[j]);
			unsetenv(var);
		}
	}
}

/* Every real profile loads and holds what judge.c relies on. */
static void
test_real_profiles(void **state)
{
	static const struct {
		const char	*word;
		const char	*name;
	} expect[] = {
		{ "python", "python" }, { "python3", "python" }, { "PY", "python" },
		{ "c", "c" }, { "c11", "c" }, { "gnu11", "c" },
		{ "cpp", "cpp" }, { "C++", "cpp" }, { "cpp17", "cpp" }, { "g++", "cpp" },
		{ "go", "go" }, { "golang", "go" },
		{ "java", "java" }, { "java17", "java" },
		{ "javascript", "javascript" }, { "js", "javascript" }, { "node", "javascript" },
		{ "NodeJS", "javascript" }, { "ruby", "ruby" }, { "rb", "ruby" },
		{ "kt", "kotlin" }, { "cs", "csharp" }, { "MCS", "csharp" }, { "hs", "haskell" },
		{ "f90", "fortran" }, { "clang++", "clangxx" }, { "pypy", "pypy" },
		{ "c++17", "cpp" },
	};
	struct lang_vars vars = { "/box/prog", NULL, 256 << 20, 2000, "/box", NULL };
	struct lang_set *s;
	char err[512] = "";
	size_t i, j;

	(void)state;
	clear_overrides();
	s = lang_load_dir(lang_dir(), err, sizeof err);
	if (s == NULL)
		fail_msg("%s", err);
	assert_true(lang_set_count(s) >= 6);
	for (i = 0; i < lang_set_count(s); i++) {
		const struct lang_profile *p = lang_set_at(s, i);
		char **v;

		assert_non_null(p->name);
		assert_true(strlen(p->source) > 0);
		assert_null(strchr(p->source, '/'));
		assert_non_null(p->run_image);
		assert_non_null(p->run_argv[0]);
		assert_true(p->workdir[0] == '/');
		assert_true(p->build_time_ms > 0);
		assert_true(p->build_memory_bytes >= 64 << 20);
		assert_true(p->memory_overhead_bytes >= 0);
		assert_non_null(p->version_argv);
		assert_true(strlen(p->description) > 0);
		/* `scrc --self-test` needs one in every profile. */
		assert_non_null(p->self_test);
		assert_non_null(strchr(p->self_test, '\n'));
		assert_string_equal(p->run_env[0], LANG_DEFAULT_PATH);
		/* Profiles must not be found by their neighbours' words. */
		assert_ptr_equal(lang_find(s, p->name), p);
		for (j = 0; p->aliases[j] != NULL; j++)
			assert_ptr_equal(lang_find(s, p->aliases[j]), p);
		/* Our images are built from packages, so each must list some. */
		if (strncmp(p->run_image, "scrc/", 5) == 0 && strcmp(p->run_image,
		    "scrc/base:bookworm") != 0 && (p->build_image == NULL ||
		    strcmp(p->build_image, p->run_image) != 0))
			assert_non_null(p->run_packages[0]);
		/* scrc/base is Debian's minimal system (bash, perl-base are in it). */
		if (p->build_image != NULL && strncmp(p->build_image, "scrc/", 5) == 0 &&
		    strcmp(p->build_image, "scrc/base:bookworm") != 0)
			assert_non_null(p->build_packages[0]);

		vars.src = p->source;
		vars.main = p->main_default;
		v = lang_expand((const char *const *)p->run_argv, &vars, err, sizeof err);
		if (v == NULL)
			fail_msg("%s: run.argv: %s", p->path, err);
		assert_null(strchr(v[lang_strv_len((const char *const *)v) - 1], '{'));
		lang_strv_free(v);
		v = lang_expand((const char *const *)p->run_env, &vars, err, sizeof err);
		assert_non_null(v);
		lang_strv_free(v);
		if (p->build_argv != NULL) {
			assert_non_null(p->build_image);
			assert_non_null(p->build_artifacts[0]);
			v = lang_expand((const char *const *)p->build_argv, &vars, err,
			    sizeof err);
			if (v == NULL)
				fail_msg("%s: build.argv: %s", p->path, err);
			/* The build compiles (or checks) the source file. */
			for (j = 0; v[j] != NULL && strstr(v[j], p->source) == NULL; j++)
				;
			assert_non_null(v[j]);
			lang_strv_free(v);
		} else {
			assert_null(p->build_artifacts);
		}
		/* A matrix cell exists for ok always, for bf only with a build. */
		assert_true(lang_has_outcome(p, "ok"));
		assert_int_equal(lang_has_outcome(p, "bf"), p->build_argv != NULL);
	}
	for (i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		const struct lang_profile *p = lang_find(s, expect[i].word);

		if (p == NULL)
			fail_msg("no profile for %s", expect[i].word);
		assert_string_equal(p->name, expect[i].name);
	}
	assert_null(lang_find(s, "intercal"));
	assert_null(lang_find(s, ""));
	assert_null(lang_find(s, NULL));
	/* Static C/C++/Go binaries run in the bare base image. */
	assert_string_equal(lang_find(s, "c")->run_image, "scrc/base:bookworm");
	assert_string_equal(lang_find(s, "java")->oom_patterns[0],
	    "java.lang.OutOfMemoryError");
	assert_true(lang_find(s, "java")->memory_overhead_bytes > 0);
	lang_set_free(s);
}

/* One row per broken fixture: the exact message expected. */
static const struct {
	const char	*file;
	const char	*error;
} broken_cases[] = {
	{ "unknown_key", "unknown_key.lang:3: unknown key \"bild.argv\"" },
	{ "duplicate_key", "duplicate_key.lang:4: duplicate key \"source\" (first on line 2)" },
	{ "missing_name", "missing_name.lang: missing required key \"name\"" },
	{ "missing_source", "missing_source.lang: missing required key \"source\"" },
	{ "missing_run_argv", "missing_run_argv.lang: missing required key \"run.argv\"" },
	{ "bad_name", "bad_name.lang:1: bad name \"Python\"" },
	{ "bad_alias", "bad_alias.lang:2: bad alias \"Bad\"" },
	{ "alias_self", "alias_self.lang:2: alias \"x\" is the profile's own name" },
	{ "alias_twice", "alias_twice.lang:2: alias \"y\" listed twice" },
	{ "bad_duration", "bad_duration.lang:6: bad duration \"10 parsecs\"" },
	{ "zero_duration", "zero_duration.lang:6: bad duration \"0s\"" },
	{ "bad_size", "bad_size.lang:6: bad size \"1T\" for build.memory_limit" },
	{ "bad_overhead", "bad_overhead.lang:5: bad size \"-5M\" for memory_overhead" },
	{ "unterminated_quote", "unterminated_quote.lang:4: unterminated quote" },
	{ "trailing_backslash", "trailing_backslash.lang:4: unterminated quote" },
	{ "bad_escape", "bad_escape.lang:4: unknown escape \"\\n\" inside quotes" },
	{ "unknown_placeholder",
	  "unknown_placeholder.lang:4: unknown placeholder {memory_gb} in \"{memory_gb}\"" },
	{ "unterminated_placeholder",
	  "unterminated_placeholder.lang:4: unterminated placeholder in \"{prog/main\"" },
	{ "env_placeholder", "env_placeholder.lang:5: unknown placeholder {mem}" },
	{ "version_placeholder", "version_placeholder.lang:5: unterminated placeholder" },
	{ "argv_without_artifacts",
	  "argv_without_artifacts.lang:5: build.argv needs build.artifacts" },
	{ "argv_without_image", "argv_without_image.lang:4: build.argv needs build.image" },
	{ "artifacts_without_argv",
	  "artifacts_without_argv.lang:4: build.artifacts without build.argv" },
	{ "build_env_without_argv",
	  "build_env_without_argv.lang:5: build.env without build.argv" },
	{ "packages_without_image",
	  "packages_without_image.lang:5: build.packages without build.image" },
	{ "setup_without_image",
	  "setup_without_image.lang:5: build.image_setup without build.image" },
	{ "no_run_image", "no_run_image.lang: missing required key \"run.image\"" },
	{ "no_equals", "no_equals.lang:4: expected \"key = value\"" },
	{ "no_key", "no_key.lang:2: missing key before \"=\"" },
	{ "empty_value", "empty_value.lang:3: empty value for \"description\"" },
	{ "bad_env", "bad_env.lang:5: bad run.env \"1X=2\" (want NAME=VALUE)" },
	{ "env_no_equals", "env_no_equals.lang:5: bad run.env \"JUSTNAME\"" },
	{ "dup_env", "dup_env.lang:7: run.env sets A twice" },
	{ "bad_artifact", "bad_artifact.lang:5: bad artifact path \"../main\"" },
	{ "abs_artifact", "abs_artifact.lang:5: bad artifact path \"/etc/passwd\"" },
	{ "bad_workdir", "bad_workdir.lang:5: bad workdir \"box\"" },
	{ "workdir_colon", "workdir_colon.lang:5: bad workdir \"/box:rw\"" },
	{ "workdir_dotdot", "workdir_dotdot.lang:5: bad workdir \"/box/../etc\"" },
	{ "bad_pids", "bad_pids.lang:5: bad pids_limit \"0\"" },
	{ "pids_not_number", "pids_not_number.lang:5: bad pids_limit \"12x\"" },
	{ "bad_package", "bad_package.lang:4: bad package name \"Python3\"" },
	{ "bad_source", "bad_source.lang:2: bad source file name \"../main.x\"" },
	{ "bad_image", "bad_image.lang:3: bad image name \"scrc/x y\"" },
	{ "empty_program", "empty_program.lang:4: run.argv: empty program name" },
	{ "key_case", "key_case.lang:2: unknown key \"Source\"" },
	{ "outcome_unknown", "outcome_unknown.lang:3: unknown outcome \"tle\"" },
	{ "outcome_twice", "outcome_twice.lang:3: outcome \"ok\" listed twice" },
	{ "outcome_no_ok", "outcome_no_ok.lang:3: outcomes must include ok" },
	{ "outcome_bf_no_build",
	  "outcome_bf_no_build.lang:3: outcomes: bf needs build.argv (only a build can fail)" },
	{ "outcome_case", "outcome_case.lang:3: bad outcome \"Bf\"" },
};

static void
test_broken_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof broken_cases / sizeof broken_cases[0]; i++) {
		char *path = xasprintf("%s/lang/broken/%s.lang", data_dir(), broken_cases[i].file);
		char *name = xasprintf("%s.lang", broken_cases[i].file);
		char err[512] = "";
		struct lang_profile *p;
		size_t len;
		char *text = slurp(path, &len);

		p = lang_parse(text, len, name, err, sizeof err);
		if (p != NULL)
			fail_msg("%s: parsed, expected \"%s\"", name, broken_cases[i].error);
		if (strncmp(err, broken_cases[i].error, strlen(broken_cases[i].error)) != 0)
			fail_msg("%s:\n got  \"%s\"\n want \"%s...\"", name, err,
			    broken_cases[i].error);
		free(text);
		free(name);
		free(path);
	}
}

/* Every fixture in broken/ has a row (a new fixture without one is a bug). */
static void
test_broken_fixtures_all_listed(void **state)
{
	char *dir = xasprintf("%s/lang/broken", data_dir());
	struct dirent *de;
	size_t seen = 0;
	DIR *d;

	(void)state;
	d = opendir(dir);
	if (d == NULL)
		fail_msg("cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		size_t i, n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 5, ".lang") != 0)
			continue;
		for (i = 0; i < sizeof broken_cases / sizeof broken_cases[0]; i++) {
			if (strlen(broken_cases[i].file) == n - 5 &&
			    strncmp(broken_cases[i].file, de->d_name, n - 5) == 0)
				break;
		}
		if (i == sizeof broken_cases / sizeof broken_cases[0])
			fail_msg("%s/%s has no row in broken_cases", dir, de->d_name);
		seen++;
	}
	closedir(d);
	assert_int_equal(seen, sizeof broken_cases / sizeof broken_cases[0]);
	free(dir);
}

static void
test_full_profile(void **state)
{
	static const char *const build_argv[] = {
		"tool", "-o", "out dir/x", "-DA B=1", "", "q\"uote", "back\\slash",
		"-mem={memory_mb}M", NULL,
	};
	static const char *const run_expanded[] = {
		"/p/x", "--limit=2048k", "--tl", "1500", "Main.src", "{literal}", "a}b", NULL,
	};
	struct lang_vars vars = { "/p", "Main.src", 2 << 20, 1500, "/judge/box", "Main" };
	char *path = xasprintf("%s/lang/good/full.lang", data_dir());
	struct lang_profile *p;
	char err[512] = "";
	size_t len, i;
	char *text = slurp(path, &len);
	char **v;

	(void)state;
	clear_overrides();
	p = lang_parse(text, len, path, err, sizeof err);
	if (p == NULL)
		fail_msg("%s", err);
	assert_string_equal(p->name, "full-lang_2+");
	assert_int_equal(lang_strv_len((const char *const *)p->aliases), 2);
	assert_string_equal(p->aliases[1], "f2");
	assert_string_equal(p->description, "A \"full\" profile: keeps # and = inside");
	assert_string_equal(p->build_image, "registry.local:5000/scrc/full@sha256:abc");
	for (i = 0; build_argv[i] != NULL; i++)
		assert_string_equal(p->build_argv[i], build_argv[i]);
	assert_null(p->build_argv[i]);
	assert_string_equal(p->build_artifacts[1], "out dir");
	assert_string_equal(p->build_artifacts[2], ".");
	/* PATH given by the profile replaces the default; HOME is defaulted. */
	assert_int_equal(lang_strv_len((const char *const *)p->build_env), 3);
	assert_string_equal(p->build_env[0], LANG_DEFAULT_HOME);
	assert_string_equal(p->build_env[1], "TMPDIR=/tmp");
	assert_string_equal(p->build_env[2], "PATH=/opt/bin:/usr/bin");
	assert_int_equal(p->build_time_ms, 90000);
	assert_int_equal(p->build_memory_bytes, 768 << 20);
	assert_string_equal(p->build_packages[2], "libstdc++-12-dev");
	/* Setup lines are kept whole, in order, for the image builder's shell. */
	assert_string_equal(p->build_setup[0],
	    "mkdir -p /var/lib/x && printf 'a\\nb' > /var/lib/x/y");
	assert_string_equal(p->build_setup[1], "test -s /var/lib/x/y");
	assert_null(p->build_setup[2]);
	assert_string_equal(p->run_setup[0], "ldconfig");
	assert_null(p->run_setup[1]);
	assert_string_equal(p->run_image, "scrc/run:1");
	assert_string_equal(p->run_env[0], LANG_DEFAULT_PATH);
	assert_string_equal(p->run_env[1], "HOME=/home/me");
	assert_string_equal(p->run_packages[0], "libgcc-s1");
	assert_string_equal(p->workdir, "/judge/box");
	assert_int_equal(p->memory_overhead_bytes, 64 << 20);
	assert_int_equal(p->pids_limit, 32);
	assert_string_equal(p->oom_patterns[0], "out of memory");
	assert_string_equal(p->oom_patterns[1], "MemoryError: \"big\"");
	assert_null(p->oom_patterns[2]);
	assert_string_equal(p->version_argv[1], "--version");

	v = lang_expand((const char *const *)p->run_argv, &vars, err, sizeof err);
	if (v == NULL)
		fail_msg("%s", err);
	for (i = 0; run_expanded[i] != NULL; i++)
		assert_string_equal(v[i], run_expanded[i]);
	assert_null(v[i]);
	lang_strv_free(v);
	v = lang_expand((const char *const *)p->run_env, &vars, err, sizeof err);
	assert_non_null(v);
	assert_string_equal(v[2], "WD=/judge/box");
	lang_strv_free(v);
	v = lang_expand((const char *const *)p->build_argv, &vars, err, sizeof err);
	assert_non_null(v);
	assert_string_equal(v[7], "-mem=2M");
	lang_strv_free(v);
	lang_profile_free(p);
	free(text);
	free(path);
}

static void
test_defaults(void **state)
{
	char err[512];
	struct lang_profile *p;

	(void)state;
	p = parse_str("name = x\nsource = a.x\nrun.image = img\r\nrun.argv = {prog}/a", err,
	    sizeof err);
	if (p == NULL)
		fail_msg("%s", err);
	assert_null(p->build_argv);
	assert_null(p->build_artifacts);
	assert_null(p->build_image);
	assert_null(p->version_argv);
	assert_string_equal(p->run_image, "img");
	assert_string_equal(p->description, "");
	assert_null(p->aliases[0]);
	assert_null(p->oom_patterns[0]);
	assert_null(p->build_packages[0]);
	assert_null(p->run_packages[0]);
	assert_null(p->build_setup[0]);
	assert_null(p->run_setup[0]);
	assert_string_equal(p->workdir, "/box");
	assert_int_equal(p->build_time_ms, 30000);
	assert_int_equal(p->build_memory_bytes, INT64_C(1) << 30);
	assert_int_equal(p->pids_limit, 0);
	assert_int_equal(p->memory_overhead_bytes, 0);
	assert_string_equal(p->run_env[0], LANG_DEFAULT_PATH);
	assert_string_equal(p->run_env[1], LANG_DEFAULT_HOME);
	assert_null(p->run_env[2]);
	assert_string_equal(p->path, "t.lang");
	/* No build: every outcome but bf. */
	assert_string_equal(p->outcomes[0], "ok");
	assert_string_equal(p->outcomes[3], "ml");
	assert_string_equal(p->outcomes[4], "re");
	assert_null(p->outcomes[5]);
	lang_profile_free(p);

	/* run.image defaults to build.image; with a build, all six outcomes */
	p = parse_str("name = y\nsource = a.y\nbuild.image = b\nbuild.argv = cc a.y\n"
	    "build.artifacts = a.out\nrun.argv = {prog}/a.out\n", err, sizeof err);
	assert_non_null(p);
	assert_string_equal(p->run_image, "b");
	assert_int_equal(lang_strv_len((const char *const *)p->outcomes), 6);
	assert_true(lang_has_outcome(p, "bf"));
	lang_profile_free(p);

	/* A language that cannot reach ml says so. */
	p = parse_str("name = z\nsource = a.z\nbuild.image = b\nbuild.argv = cc a.z\n"
	    "build.artifacts = a.out\nrun.argv = {prog}/a.out\noutcomes = ok re bf\n", err,
	    sizeof err);
	if (p == NULL)
		fail_msg("%s", err);
	assert_true(lang_has_outcome(p, "bf"));
	assert_false(lang_has_outcome(p, "ml"));
	assert_false(lang_has_outcome(p, "wa"));
	lang_profile_free(p);
}

/* Words of "run.argv = <value>": quoting and escapes. */
static void
test_quoting(void **state)
{
	static const struct {
		const char	*value;
		const char	*words[6];	/* NULL-terminated; words[0] NULL = error */
		const char	*error;
	} cases[] = {
		{ "a b\tc", { "a", "b", "c", NULL }, NULL },
		{ "  a    b  ", { "a", "b", NULL }, NULL },
		{ "\"a b\" c", { "a b", "c", NULL }, NULL },
		{ "-D\"x y\"z", { "-Dx yz", NULL }, NULL },
		{ "a \"\" b", { "a", "", "b", NULL }, NULL },
		{ "a \"\\\"q\\\"\"", { "a", "\"q\"", NULL }, NULL },
		{ "a \"\\\\\"", { "a", "\\", NULL }, NULL },
		{ "a\\b", { "a\\b", NULL }, NULL },
		{ "a \"x\"\"y\"", { "a", "xy", NULL }, NULL },
		{ "a # not a comment", { "a", "#", "not", "a", "comment", NULL }, NULL },
		{ "a \"b", { NULL }, "t.lang:4: unterminated quote" },
		{ "a \"b\\t\"", { NULL }, "t.lang:4: unknown escape \"\\t\" inside quotes" },
		{ "\"\" a", { NULL }, "t.lang:4: run.argv: empty program name" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = xasprintf("name = q\nsource = q.q\nrun.image = i\nrun.argv = %s\n",
		    cases[i].value);
		char err[512];
		struct lang_profile *p = parse_str(text, err, sizeof err);
		size_t j;

		if (cases[i].error != NULL) {
			if (p != NULL)
				fail_msg("[%s] parsed, expected an error", cases[i].value);
			if (strncmp(err, cases[i].error, strlen(cases[i].error)) != 0)
				fail_msg("[%s] got \"%s\", want \"%s\"", cases[i].value, err,
				    cases[i].error);
		} else {
			if (p == NULL)
				fail_msg("[%s] %s", cases[i].value, err);
			for (j = 0; cases[i].words[j] != NULL; j++) {
				if (p->run_argv[j] == NULL ||
				    strcmp(p->run_argv[j], cases[i].words[j]) != 0)
					fail_msg("[%s] word %zu: got [%s], want [%s]",
					    cases[i].value, j, p->run_argv[j] ? p->run_argv[j] :
					    "(none)", cases[i].words[j]);
			}
			assert_null(p->run_argv[j]);
		}
		lang_profile_free(p);
		free(text);
	}
}

static void
test_expand(void **state)
{
	static const struct {
		const char	*tmpl;
		int64_t		 memory;
		const char	*want;		/* NULL = error */
		const char	*error;
	} cases[] = {
		{ "{prog}/main", 256 << 20, "/p/main", NULL },
		{ "-Xmx{memory_mb}m", 256 << 20, "-Xmx256m", NULL },
		{ "{memory_kb}", 256 << 20, "262144", NULL },
		{ "{memory_bytes}", 256 << 20, "268435456", NULL },
		{ "{memory_mb}", 1000, "1", NULL },
		{ "{memory_mb}", (3 << 20) - 1, "2", NULL },
		{ "{memory_bytes}", INT64_C(8) << 30, "8589934592", NULL },
		{ "{time_limit_ms}", 1, "1500", NULL },
		{ "{src}", 1, "main.c", NULL },
		{ "{workdir}/x", 1, "/box/x", NULL },
		{ "{{prog}", 1, "{prog}", NULL },
		{ "{{{prog}", 1, "{/p", NULL },
		{ "a}b}}", 1, "a}b}}", NULL },
		{ "{prog}{src}", 1, "/pmain.c", NULL },
		{ "", 1, "", NULL },
		{ "{nope}", 1, NULL, "unknown placeholder {nope} in \"{nope}\"" },
		{ "{}", 1, NULL, "unknown placeholder {}" },
		{ "{PROG}", 1, NULL, "unknown placeholder {PROG}" },
		{ "x{prog", 1, NULL, "unterminated placeholder in \"x{prog\"" },
		{ "{memory_mb}", -1, NULL, "placeholder {memory_mb} has no value" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct lang_vars vars = { "/p", "main.c", cases[i].memory, 1500, "/box",
		    "Main" };
		const char *tmpl[] = { "first", cases[i].tmpl, NULL };
		char err[512] = "";
		char **v = lang_expand(tmpl, &vars, err, sizeof err);

		if (cases[i].want == NULL) {
			if (v != NULL)
				fail_msg("[%s] expanded to [%s], expected an error", cases[i].tmpl,
				    v[1]);
			if (strncmp(err, cases[i].error, strlen(cases[i].error)) != 0)
				fail_msg("[%s] got \"%s\" want \"%s\"", cases[i].tmpl, err,
				    cases[i].error);
			continue;
		}
		if (v == NULL)
			fail_msg("[%s] %s", cases[i].tmpl, err);
		assert_string_equal(v[0], "first");
		if (strcmp(v[1], cases[i].want) != 0)
			fail_msg("[%s] got [%s] want [%s]", cases[i].tmpl, v[1], cases[i].want);
		assert_null(v[2]);
		lang_strv_free(v);
	}
}

static void
test_expand_missing_values(void **state)
{
	struct lang_vars vars = { NULL, NULL, 0, -1, NULL, NULL };
	const char *only_literal[] = { "a", "{{b", NULL };
	const char *prog[] = { "{prog}/x", NULL };
	const char *tl[] = { "{time_limit_ms}", NULL };
	const char *empty[] = { NULL };
	char err[512];
	char **v;

	(void)state;
	v = lang_expand(only_literal, &vars, err, sizeof err);
	assert_non_null(v);
	assert_string_equal(v[1], "{b");
	lang_strv_free(v);
	v = lang_expand(empty, &vars, err, sizeof err);
	assert_non_null(v);
	assert_null(v[0]);
	lang_strv_free(v);
	assert_null(lang_expand(prog, &vars, err, sizeof err));
	assert_string_equal(err, "placeholder {prog} has no value");
	assert_null(lang_expand(tl, &vars, err, sizeof err));
	assert_string_equal(err, "placeholder {time_limit_ms} has no value");
	assert_null(lang_expand(NULL, &vars, err, sizeof err));
}

static void
test_odd_input(void **state)
{
	static const char nul[] = "name = x\nsource = a\0b\nrun.image = i\nrun.argv = a\n";
	char err[512];
	struct lang_profile *p;
	char *big;

	(void)state;
	p = lang_parse(nul, sizeof nul - 1, "n.lang", err, sizeof err);
	assert_null(p);
	assert_string_equal(err, "n.lang:2: NUL byte in line");

	big = xmalloc(LANG_MAX_FILE_SIZE + 2);
	memset(big, '#', LANG_MAX_FILE_SIZE + 1);
	big[LANG_MAX_FILE_SIZE + 1] = '\0';
	assert_null(lang_parse(big, LANG_MAX_FILE_SIZE + 1, "big.lang", err, sizeof err));
	assert_string_equal(err, "big.lang: larger than 65536 bytes");
	free(big);

	/* Not NUL-terminated: only len bytes count. */
	p = lang_parse("name = x\nsource = a\nrun.image = i\nrun.argv = ab", 46, NULL, err,
	    sizeof err);
	if (p == NULL)
		fail_msg("%s", err);
	assert_string_equal(p->run_argv[0], "a");
	assert_string_equal(p->path, "<string>");
	lang_profile_free(p);

	assert_null(lang_parse("", 0, "e.lang", err, sizeof err));
	assert_string_equal(err, "e.lang: missing required key \"name\"");
	/* A tiny errstr is truncated, not overflowed. */
	assert_null(lang_parse("", 0, "e.lang", err, 4));
	assert_string_equal(err, "e.l");
}

static void
test_env_overrides(void **state)
{
	static const char text[] = "name = obj-c\nsource = m.m\nbuild.image = b:1\n"
	    "build.argv = cc m.m\nbuild.artifacts = a.out\nrun.image = r:1\n"
	    "run.argv = {prog}/a.out\n";
	static const struct {
		const char	*image, *run_image, *workdir;
		const char	*want_build, *want_run, *want_workdir;
		const char	*error;
	} cases[] = {
		{ NULL, NULL, NULL, "b:1", "r:1", "/box", NULL },
		{ "x:2", NULL, NULL, "x:2", "x:2", "/box", NULL },
		{ NULL, "y:3", NULL, "b:1", "y:3", "/box", NULL },
		{ "x:2", "y:3", "/w", "x:2", "y:3", "/w", NULL },
		{ "", "", "", "b:1", "r:1", "/box", NULL },
		{ "bad image", NULL, NULL, NULL, NULL, NULL,
		  "OBJ_C_IMAGE=bad image: bad image name" },
		{ NULL, NULL, "relative", NULL, NULL, NULL,
		  "OBJ_C_WORKDIR=relative: bad workdir" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char err[512];
		struct lang_profile *p = parse_str(text, err, sizeof err);
		int rc;

		if (p == NULL)
			fail_msg("%s", err);
		clear_overrides();
		if (cases[i].image != NULL)
			setenv("OBJ_C_IMAGE", cases[i].image, 1);
		if (cases[i].run_image != NULL)
			setenv("OBJ_C_RUN_IMAGE", cases[i].run_image, 1);
		if (cases[i].workdir != NULL)
			setenv("OBJ_C_WORKDIR", cases[i].workdir, 1);
		rc = lang_apply_env(p, err, sizeof err);
		if (cases[i].error != NULL) {
			assert_int_equal(rc, -1);
			if (strncmp(err, cases[i].error, strlen(cases[i].error)) != 0)
				fail_msg("case %zu: got \"%s\" want \"%s\"", i, err,
				    cases[i].error);
			/* A failed override leaves the profile as it was. */
			assert_string_equal(p->build_image, "b:1");
			assert_string_equal(p->workdir, "/box");
		} else {
			assert_int_equal(rc, 0);
			assert_string_equal(p->build_image, cases[i].want_build);
			assert_string_equal(p->run_image, cases[i].want_run);
			assert_string_equal(p->workdir, cases[i].want_workdir);
		}
		lang_profile_free(p);
	}
	clear_overrides();
}

/* Overrides reach profiles loaded from a directory, and only their own. */
static void
test_env_overrides_load_dir(void **state)
{
	struct lang_set *s;
	char err[512];

	(void)state;
	clear_overrides();
	setenv("CPP_IMAGE", "my/gcc:13", 1);
	setenv("PYTHON_IMAGE", "python:3.12-alpine", 1);
	setenv("PYTHON_WORKDIR", "/sandbox", 1);
	s = lang_load_dir(lang_dir(), err, sizeof err);
	clear_overrides();
	if (s == NULL)
		fail_msg("%s", err);
	assert_string_equal(lang_find(s, "cpp")->build_image, "my/gcc:13");
	assert_string_equal(lang_find(s, "cpp")->run_image, "my/gcc:13");
	assert_string_equal(lang_find(s, "c")->build_image, "scrc/gcc:bookworm");
	assert_string_equal(lang_find(s, "c")->run_image, "scrc/base:bookworm");
	assert_string_equal(lang_find(s, "python")->run_image, "python:3.12-alpine");
	assert_string_equal(lang_find(s, "python")->workdir, "/sandbox");
	assert_string_equal(lang_find(s, "java")->workdir, "/box");
	lang_set_free(s);

	setenv("GO_RUN_IMAGE", "bad image", 1);
	s = lang_load_dir(lang_dir(), err, sizeof err);
	clear_overrides();
	assert_null(s);
	assert_non_null(strstr(err, "GO_RUN_IMAGE=bad image: bad image name"));
}

static void
test_load_dir_errors(void **state)
{
	struct lang_set *s;
	char *dir;
	char err[512];

	(void)state;
	clear_overrides();
	dir = xasprintf("%s/lang/dupalias", data_dir());
	s = lang_load_dir(dir, err, sizeof err);
	assert_null(s);
	{
		char *want = xasprintf("%s/beta.lang:4: alias \"a1\" is already taken by "
		    "profile alpha (%s/alpha.lang)", dir, dir);

		assert_string_equal(err, want);
		free(want);
	}
	free(dir);

	dir = xasprintf("%s/lang/mismatch", data_dir());
	assert_null(lang_load_dir(dir, err, sizeof err));
	assert_non_null(strstr(err, "/foo.lang:1: name \"bar\" does not match the file name"));
	free(dir);

	dir = xasprintf("%s/lang/good", data_dir());
	s = lang_load_dir(dir, err, sizeof err);
	/* full.lang is named "full-lang_2+", so even the good dir is refused. */
	assert_null(s);
	assert_non_null(strstr(err, "/full.lang:2: name \"full-lang_2+\" does not match"));
	free(dir);

	assert_null(lang_load_dir("/nonexistent/scrc-lang", err, sizeof err));
	assert_string_equal(err, "/nonexistent/scrc-lang: No such file or directory");
	dir = xasprintf("%s/lang", data_dir());	/* only subdirectories in it */
	assert_null(lang_load_dir(dir, err, sizeof err));
	assert_non_null(strstr(err, ": no *.lang profiles"));
	free(dir);
}

static void
test_null_safety(void **state)
{
	(void)state;
	lang_profile_free(NULL);
	lang_set_free(NULL);
	lang_strv_free(NULL);
	assert_int_equal(lang_set_count(NULL), 0);
	assert_null(lang_set_at(NULL, 0));
	assert_null(lang_find(NULL, "c"));
	assert_int_equal(lang_strv_len(NULL), 0);
}

/* Java's profile finds the public class, whatever its name; Main otherwise. */
static void
test_main_name(void **state)
{
	static const struct {
		const char	*src;
		const char	*want;
	} cases[] = {
		{ "public class Solution { public static void main(String[] a) {} }", "Solution" },
		{ "import java.util.*;\n\npublic final class self_test {}", "self_test" },
		{ "class Helper {}\n  public   abstract\tclass $X1 {}", "$X1" },
		{ "class Main { public static void main(String[] a) {} }", "Main" },
		{ "public class 1bad {}", "Main" },
		/* A comment mentioning a public class does not count. */
		{ "// whose public class is Foo\n/*\n * public class Bar\n */\npublic class Baz {}",
		    "Baz" },
		{ "", "Main" },
	};
	char err[512], path[4096], main[72], *name, *text;
	struct lang_profile *p;
	size_t i, len;

	(void)state;
	snprintf(path, sizeof path, "%s/java.lang", lang_dir());
	text = slurp(path, &len);
	p = lang_parse(text, len, path, err, sizeof err);
	if (p == NULL)
		fail_msg("%s", err);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		lang_main(p, cases[i].src, main, sizeof main);
		if (strcmp(main, cases[i].want) != 0)
			fail_msg("[%s]: got %s, want %s", cases[i].src, main, cases[i].want);
	}
	/* The self-test program, its escapes decoded. */
	assert_non_null(strstr(p->self_test, "public class SelfTest {\n\tpublic static"));
	name = lang_source_name(p, "Solution");
	assert_string_equal(name, "Solution.java");
	free(name);
	lang_profile_free(p);
	free(text);
	/* A pattern without a group, or that does not compile, is refused. */
	assert_null(parse_str("name = x\nsource = a\nrun.image = i\nrun.argv = a\n"
	    "main_pattern = class\n", err, sizeof err));
	assert_non_null(strstr(err, "no (group)"));
	assert_null(parse_str("name = x\nsource = a\nrun.image = i\nrun.argv = a\n"
	    "main_pattern = (\n", err, sizeof err));
	assert_non_null(strstr(err, "bad main_pattern"));
}

/*
 * README's language table is contrib/lang-table.sh's output: one row per
 * profile (name, aliases, description), no row more.
 */
static void
test_readme_table(void **state)
{
	char err[512], *path, *readme, *row, *start, *end, *line;
	struct lang_set *s;
	size_t i, j, len, rows = 0;

	(void)state;
	s = lang_load_dir(lang_dir(), err, sizeof err);
	if (s == NULL)
		fail_msg("%s", err);
	path = xasprintf("%s/../README", lang_dir());
	readme = slurp(path, &len);
	start = strstr(readme, "<!-- languages -->\n");
	end = strstr(readme, "<!-- /languages -->");
	assert_non_null(start);
	assert_non_null(end);
	*end = '\0';
	for (line = strstr(start, "\n| "); line != NULL; line = strstr(line + 1, "\n| "))
		rows++;
	/* The header row is one of them. */
	assert_int_equal(rows, lang_set_count(s) + 1);
	for (i = 0; i < lang_set_count(s); i++) {
		const struct lang_profile *p = lang_set_at(s, i);
		struct buf b;

		buf_init(&b);
		buf_printf(&b, "\n| %s | ", p->name);
		for (j = 0; p->aliases[j] != NULL; j++)
			buf_printf(&b, "%s%s", j > 0 ? " " : "", p->aliases[j]);
		buf_printf(&b, "%s | %s |\n", j == 0 ? "-" : "", p->description);
		row = b.data;
		if (strstr(start, row) == NULL)
			fail_msg("README's language table lacks the row%s(run bash "
			    "contrib/lang-table.sh)", row);
		buf_free(&b);
	}
	free(readme);
	free(path);
	lang_set_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_profiles),
		cmocka_unit_test(test_readme_table),
		cmocka_unit_test(test_main_name),
		cmocka_unit_test(test_broken_fixtures),
		cmocka_unit_test(test_broken_fixtures_all_listed),
		cmocka_unit_test(test_full_profile),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_expand_missing_values),
		cmocka_unit_test(test_odd_input),
		cmocka_unit_test(test_env_overrides),
		cmocka_unit_test(test_env_overrides_load_dir),
		cmocka_unit_test(test_load_dir_errors),
		cmocka_unit_test(test_null_safety),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
