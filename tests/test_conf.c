/*
 * test_conf.c - the configuration table: defaults, environment, flags
 * winning over the environment, and every kind of bad value; and how an
 * uninstalled scrc recognises its build tree.
 */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "util.h"

static const char *conf_env_names[] = {
	"KAFKA_BROKERS", "KAFKA_TOPIC", "RUNNER_MAX_PARALLEL", "RUNNER_TIME_LIMIT",
	"RUNNER_MEMORY_LIMIT", "SCRIPT_EXPECTED", "SCRC_MAX_TIME_LIMIT", "SCRC_LOG_FORMAT",
	"SCRC_METRICS_LISTEN", NULL
};

static void
clear_env(void)
{
	const char **p;

	for (p = conf_env_names; *p != NULL; p++)
		unsetenv(*p);
}

static int
load(const char *const *args, char *err, size_t errsize, int *argc_out, char ***argv_out)
{
	static char *argv[32];
	int argc = 0;

	argv[argc++] = "scrc";
	while (args != NULL && *args != NULL)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	*argc_out = argc;
	*argv_out = argv;
	return conf_load(argc_out, argv, err, errsize);
}

static void
test_defaults(void **state)
{
	char err[256];
	char **argv;
	int argc;

	(void)state;
	clear_env();
	assert_int_equal(load(NULL, err, sizeof err, &argc, &argv), 0);
	assert_string_equal(conf.brokers, "kafka:9092");
	assert_string_equal(conf.topic, "scripts");
	assert_string_equal(conf.results_topic, "script-results");
	assert_string_equal(conf.group_id, "scrc-runner");
	assert_int_equal(conf.max_parallel, 1);
	assert_int_equal(conf.script_expected, 0);
	assert_int_equal(conf.output_cap_bytes, 16 * 1024 * 1024);
	assert_int_equal(conf.field_cap_bytes, 64 * 1024);
	assert_non_null(conf.worker_name);
}

struct conf_case {
	const char	*env_name;
	const char	*env_value;
	const char	*args[4];
	int		 ok;
	int64_t		 max_parallel;
	int64_t		 time_ms;
	int64_t		 memory;
	const char	*err_part;
};

static const struct conf_case conf_cases[] = {
	{ "RUNNER_MAX_PARALLEL", "4", { NULL }, 1, 4, 2000, 256 << 20, NULL },
	{ "RUNNER_MAX_PARALLEL", "4", { "--max-parallel", "2", NULL }, 1, 2, 2000,
	  256 << 20, NULL },
	{ "RUNNER_MAX_PARALLEL", "4", { "--max-parallel=3", NULL }, 1, 3, 2000, 256 << 20,
	  NULL },
	{ "RUNNER_MAX_PARALLEL", "0", { NULL }, 0, 0, 0, 0, "out of range" },
	{ "RUNNER_MAX_PARALLEL", "two", { NULL }, 0, 0, 0, 0, "not an integer" },
	{ "RUNNER_TIME_LIMIT", "2m30s", { "--max-time-limit", "5m", NULL }, 1, 1, 150000,
	  256 << 20, NULL },
	{ "RUNNER_TIME_LIMIT", "500ms", { NULL }, 1, 1, 500, 256 << 20, NULL },
	{ "RUNNER_TIME_LIMIT", "5 s", { NULL }, 0, 0, 0, 0, "not a duration" },
	{ "RUNNER_TIME_LIMIT", "1h", { NULL }, 0, 0, 0, 0, "above SCRC_MAX_TIME_LIMIT" },
	{ "RUNNER_MEMORY_LIMIT", "67108864", { NULL }, 1, 1, 2000, 64 << 20, NULL },
	{ "RUNNER_MEMORY_LIMIT", "128M", { NULL }, 1, 1, 2000, 128 << 20, NULL },
	{ "RUNNER_MEMORY_LIMIT", "-5", { NULL }, 0, 0, 0, 0, "not a size" },
	{ "RUNNER_MEMORY_LIMIT", "", { NULL }, 1, 1, 2000, 256 << 20, NULL },
	{ NULL, NULL, { "--time-limit", NULL }, 0, 0, 0, 0, "needs a value" },
	/* Past int64 or the setting's range: named and rejected, never saturated. */
	{ "SCRIPT_EXPECTED", "9223372036854775807", { NULL }, 1, 1, 2000, 256 << 20, NULL },
	{ "SCRIPT_EXPECTED", "99999999999999999999", { NULL }, 0, 0, 0, 0,
	  "SCRIPT_EXPECTED=99999999999999999999 is out of range" },
	{ "SCRIPT_EXPECTED", "-99999999999999999999", { NULL }, 0, 0, 0, 0,
	  "SCRIPT_EXPECTED=-99999999999999999999 is out of range" },
	{ "RUNNER_MAX_PARALLEL", "99999999999999999999", { NULL }, 0, 0, 0, 0,
	  "RUNNER_MAX_PARALLEL=99999999999999999999 is out of range" },
	{ "RUNNER_MEMORY_LIMIT", "99999999999999999999", { NULL }, 0, 0, 0, 0,
	  "RUNNER_MEMORY_LIMIT=99999999999999999999 is out of range" },
	{ "RUNNER_MEMORY_LIMIT", "9999999999999G", { NULL }, 0, 0, 0, 0,
	  "RUNNER_MEMORY_LIMIT=9999999999999G is out of range" },
	{ "RUNNER_TIME_LIMIT", "99999999999999999999", { NULL }, 0, 0, 0, 0,
	  "RUNNER_TIME_LIMIT=99999999999999999999 is out of range" },
	{ "RUNNER_TIME_LIMIT", "2562047788016h", { NULL }, 0, 0, 0, 0,
	  "RUNNER_TIME_LIMIT=2562047788016h is out of range" },
	{ NULL, NULL, { "--max-time-limit=153722867280913m", NULL }, 0, 0, 0, 0,
	  "flag: SCRC_MAX_TIME_LIMIT=153722867280913m is out of range" },
	{ "SCRC_LOG_FORMAT", "json", { NULL }, 1, 1, 2000, 256 << 20, NULL },
	{ "SCRC_LOG_FORMAT", "text", { "--log-format=json", NULL }, 1, 1, 2000, 256 << 20, NULL },
	{ "SCRC_LOG_FORMAT", "JSON", { NULL }, 0, 0, 0, 0,
	  "SCRC_LOG_FORMAT must be \"text\" or \"json\", not \"JSON\"" },
	{ NULL, NULL, { "--log-format", "", NULL }, 0, 0, 0, 0, "not \"\"" },
	{ NULL, NULL, { "--metrics-listen", "127.0.0.1:9464", NULL }, 1, 1, 2000, 256 << 20,
	  NULL },
};

static void
test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof conf_cases / sizeof conf_cases[0]; i++) {
		const struct conf_case *c = &conf_cases[i];
		char err[256] = "";
		char **argv;
		int argc, rc;

		clear_env();
		if (c->env_name != NULL)
			setenv(c->env_name, c->env_value, 1);
		rc = load(c->args, err, sizeof err, &argc, &argv);
		if (c->ok) {
			if (rc != 0)
				fail_msg("case %zu: unexpected error: %s", i, err);
			assert_int_equal(conf.max_parallel, c->max_parallel);
			assert_int_equal(conf.default_time_ms, c->time_ms);
			assert_int_equal(conf.default_memory_bytes, c->memory);
			assert_int_equal(argc, 1);	/* every flag was consumed */
		} else {
			assert_int_equal(rc, -1);
			if (strstr(err, c->err_part) == NULL)
				fail_msg("case %zu: error \"%s\" lacks \"%s\"", i, err, c->err_part);
		}
	}
}

static void
test_unknown_args_are_kept(void **state)
{
	const char *args[] = { "run", "--lang", "c", "--topic", "t1", "main.c", NULL };
	char err[256];
	char **argv;
	int argc;

	(void)state;
	clear_env();
	assert_int_equal(load(args, err, sizeof err, &argc, &argv), 0);
	assert_string_equal(conf.topic, "t1");
	assert_int_equal(argc, 5);
	assert_string_equal(argv[1], "run");
	assert_string_equal(argv[2], "--lang");
	assert_string_equal(argv[3], "c");
	assert_string_equal(argv[4], "main.c");
}

static void
test_export_round_trip(void **state)
{
	const char *args[] = { "--time-limit", "1500ms", "--memory-limit", "96M", NULL };
	char err[256];
	char **argv;
	int argc;

	(void)state;
	clear_env();
	assert_int_equal(load(args, err, sizeof err, &argc, &argv), 0);
	conf_export();
	/* A child that reads only the environment must see the same values. */
	assert_int_equal(load(NULL, err, sizeof err, &argc, &argv), 0);
	assert_int_equal(conf.default_time_ms, 1500);
	assert_int_equal(conf.default_memory_bytes, 96 << 20);
}

/*
 * Build trees laid out under a scratch directory. Each row: where the
 * binary is, the marker beside it (NULL = none), the installed bindir, and
 * what conf_tree_find must answer ("" = nothing found). "@" stands for the
 * scratch directory.
 */
struct tree_case {
	const char	*exe;
	const char	*marker;
	const char	*bindir;
	const char	*lang_dir;
	const char	*box_path;
};

static const struct tree_case tree_cases[] = {
	/* Out-of-tree build: lang/ in the source dir, scrc-box beside scrc. */
	{ "@/build/scrc", "@/src\n", NULL, "@/src/lang", "@/build/scrc-box" },
	/* In-tree build, marker without its newline. */
	{ "@/src/scrc", "@/src", NULL, "@/src/lang", "@/src/scrc-box" },
	/* configure run as ../src/configure records a non-canonical srcdir. */
	{ "@/build/scrc", "@/build/../src\n", NULL, "@/src/lang", "@/build/scrc-box" },
	/* The installed location never looks, spelt canonically or not. */
	{ "@/build/scrc", "@/src\n", "@/build", "", "" },
	{ "@/build/scrc", "@/src\n", "@/src/../build/", "", "" },
	/* Another bindir does not stop a tree's binary. */
	{ "@/build/scrc", "@/src\n", "@/src", "@/src/lang", "@/build/scrc-box" },
	/* No marker: an installed or copied binary. */
	{ "@/copy/scrc", NULL, NULL, "", "" },
	/* Markers that name no usable tree. */
	{ "@/rel/scrc", "src\n", NULL, "", "" },
	{ "@/stale/scrc", "@/gone\n", NULL, "", "" },
	{ "@/empty/scrc", "", NULL, "", "" },
	{ "scrc", NULL, NULL, "", "" },
};

static char *
tree_path(const char *root, const char *pattern)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	for (p = pattern; *p != '\0'; p++) {
		if (*p == '@')
			buf_append(&b, root, strlen(root));
		else
			buf_append(&b, p, 1);
	}
	buf_append(&b, "", 1);
	return b.data;
}

static void
test_tree_find(void **state)
{
	static const char *dirs[] = { "src", "src/lang", "build", "copy", "rel", "stale",
		"empty", NULL };
	char tmpl[] = "/tmp/scrc-test-tree-XXXXXX", root[PATH_MAX];
	const char **d;
	size_t i;

	(void)state;
	/* conf_tree_find answers canonical paths: so must the expected ones. */
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, root));
	for (d = dirs; *d != NULL; d++) {
		char *p = xasprintf("%s/%s", root, *d);

		assert_int_equal(mkdir(p, 0755), 0);
		free(p);
	}
	for (i = 0; i < sizeof tree_cases / sizeof tree_cases[0]; i++) {
		const struct tree_case *c = &tree_cases[i];
		char *exe = tree_path(root, c->exe), *marker = NULL;
		char *bindir = c->bindir ? tree_path(root, c->bindir) : NULL;
		char *want_lang = tree_path(root, c->lang_dir);
		char *want_box = tree_path(root, c->box_path);
		char *lang_dir, *box_path;
		int rc;

		if (c->marker != NULL) {
			char *text = tree_path(root, c->marker);
			FILE *f;

			marker = xasprintf("%.*s/%s", (int)(strrchr(exe, '/') - exe), exe,
			    CONF_TREE_MARKER);
			assert_non_null(f = fopen(marker, "w"));
			fputs(text, f);
			fclose(f);
			free(text);
		}
		rc = conf_tree_find(exe, bindir, &lang_dir, &box_path);
		if (rc != (want_lang[0] != '\0'))
			fail_msg("case %zu (%s): conf_tree_find returned %d", i, c->exe, rc);
		if (rc == 1) {
			assert_string_equal(lang_dir, want_lang);
			assert_string_equal(box_path, want_box);
		} else {
			assert_null(lang_dir);
			assert_null(box_path);
		}
		if (marker != NULL)
			unlink(marker);
		free(lang_dir);
		free(box_path);
		free(marker);
		free(want_lang);
		free(want_box);
		free(bindir);
		free(exe);
	}
	for (i = 0; dirs[i] != NULL; i++)
		;
	while (i-- > 0) {
		char *p = xasprintf("%s/%s", root, dirs[i]);

		assert_int_equal(rmdir(p), 0);
		free(p);
	}
	assert_int_equal(rmdir(root), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_unknown_args_are_kept),
		cmocka_unit_test(test_export_round_trip),
		cmocka_unit_test(test_tree_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
