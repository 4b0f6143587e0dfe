/*
 * test_box.c - scrc-box's cgroup readers (box-cgroup.c) on file trees
 * recorded from real containers (cgroup v1 here) and written after the
 * kernels' formats (v2 on Linux 6.1, v2 on 5.15 without memory.peak, v2
 * without a limit, no cgroup at all), one cmocka test per tree; and the
 * reserve's arithmetic on a tree whose counters the test moves.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "box.h"
#include "util.h"

#include "rows.h"

#define MiB (1024LL * 1024)

struct tree_case {
	const char		*dir;		/* below tests/data/cgroup */
	enum box_cgroup_kind	 kind;
	const char		*name;
	int64_t			 cpu_us, oom, charged, limit;
	int64_t			 pids_max;	/* pids.events "max"; -1: no such file */
};

static const struct tree_case tree_cases[] = {
	/* charged = usage - active_file - inactive_file (v1: the total_ lines) */
	{ "v1", BOX_CGROUP_V1, "v1", 22371, 0, 1691648 - 155648 - 503808, 67108864, 3 },
	/* "active_file" must not be read off the "inactive_file" line */
	{ "v2", BOX_CGROUP_V2, "v2", 412345, 2, 73986048 - 6291456 - 4194304, 104857600,
	  5 },
	{ "v2-5.15", BOX_CGROUP_V2, "v2", 1000, 0, 3145728 - 1310720 - 262144, 268435456,
	  -1 },
	{ "v2-nolimit", BOX_CGROUP_V2, "v2", 1000, 0, 3145728 - 1310720 - 262144, -1, -1 },
	{ "none", BOX_CGROUP_NONE, "none", -1, -1, -1, -1, -1 },
	{ "no-such-dir", BOX_CGROUP_NONE, "none", -1, -1, -1, -1, -1 },
};

static char *
data_path(const char *rel)
{
	const char *base = getenv("SCRC_TEST_DATA");

	return xasprintf("%s/cgroup/%s", base != NULL ? base : "tests/data", rel);
}

static void
test_tree(void **state)
{
	const struct tree_case *c = *state;
	struct box_cg cg;
	char *root = data_path(c->dir);

	box_cg_open(&cg, root);
	assert_int_equal(cg.kind, c->kind);
	assert_string_equal(box_cg_name(&cg), c->name);
	assert_int_equal(box_cg_cpu_us(&cg), c->cpu_us);
	assert_int_equal(box_cg_oom(&cg), c->oom);
	/* "max" of pids.events, not memory.events' own "max" line. */
	assert_int_equal(box_cg_pids_max(&cg), c->pids_max);
	assert_int_equal(box_cg_charged(&cg), c->charged);
	assert_int_equal(box_cg_limit(&cg), c->limit);
	/* No limit, or no counters: the reserve stays empty. */
	if (c->limit < 0 || c->charged < 0) {
		box_cg_reserve(&cg, 8 * MiB);
		assert_int_equal(cg.reserve_len, 0);
	}
	box_cg_close(&cg);
	free(root);
}

/* Writes text into dir/name, as a cgroup file would read. */
static void
put_text(const char *dir, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void
put(const char *dir, const char *name, long long v)
{
	char num[32];

	snprintf(num, sizeof num, "%lld\n", v);
	put_text(dir, name, num);
}

/*
 * A v2 tree in a temporary directory: 256 MiB limit. The counters do not
 * follow the reserve here, so each step moves them by hand as the kernel
 * would have.
 */
static void
test_reserve(void **state)
{
	char dir[] = "/tmp/scrc-test-box-XXXXXX", *src;
	struct box_cg cg;
	int64_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	src = data_path("v2-5.15/memory.stat");
	{
		char *cmd = xasprintf("cp '%s' '%s/memory.stat'", src, dir);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	free(src);
	put_text(dir, "cpu.stat", "usage_usec 5\n");
	put(dir, "memory.max", 256 * MiB);
	/* 1.5 MiB of file cache in memory.stat: charged = current - 1.5 MiB */
	put(dir, "memory.current", 10 * MiB + 1572864);
	box_cg_open(&cg, dir);
	assert_int_equal(cg.kind, BOX_CGROUP_V2);
	assert_int_equal(box_cg_charged(&cg), 10 * MiB);

	/* 256 - 10 charged - 64 wanted: 182 MiB held. */
	box_cg_reserve(&cg, 64 * MiB);
	assert_int_equal(cg.reserve_len, 182 * MiB);
	/* The reserve is charged now; then the artifacts (20 MiB) come in. */
	put(dir, "memory.current", (10 + 182 + 20) * MiB + 1572864);
	box_cg_reserve(&cg, 64 * MiB);
	assert_int_equal(cg.reserve_len, 162 * MiB);
	/* A change under the step is not worth a call. */
	put(dir, "memory.current", (10 + 162 + 20) * MiB + 1572864 + 4096);
	len = (int64_t)cg.reserve_len;
	box_cg_reserve(&cg, 64 * MiB);
	assert_int_equal(cg.reserve_len, len);
	/* A run that wants more than there is: all of the reserve goes. */
	put(dir, "memory.current", (10 + 162 + 20) * MiB + 1572864);
	box_cg_reserve(&cg, 512 * MiB);
	assert_int_equal(cg.reserve_len, 0);
	box_cg_close(&cg);
	{
		char *cmd = xasprintf("rm -rf '%s'", dir);

		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof tree_cases / sizeof tree_cases[0]; i++)
		add(xasprintf("cgroup tree %s", tree_cases[i].dir), test_tree, &tree_cases[i]);
	add("reserve", test_reserve, NULL);
	return _cmocka_run_group_tests("box", all, nall, NULL, NULL);
}
