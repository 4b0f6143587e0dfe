/*
 * selftest.c - `scrc --list-languages` and `scrc --self-test`: what an
 * operator runs after installing scrc or rebuilding images, to see every
 * language answer before a contest does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "docker.h"
#include "judge.h"
#include "request.h"
#include "result.h"
#include "selftest.h"
#include "util.h"

#define SELFTEST_CALL_MS	60000	/* a version command in a cold image */
#define SELFTEST_INPUT		"scrc self-test 42\n"

/* The size of an image as the engine reports it, "-" when unknown. */
static void
selftest_image_size(const char *image, char *out, size_t size)
{
	const char *args[] = { "image", "inspect", "--format", "{{.Size}}", image, NULL };
	struct docker_cmd res;
	long long bytes;

	snprintf(out, size, "missing");
	if (docker_cmd_run(args, NULL, 0, SELFTEST_CALL_MS, &res, NULL, 0) == 0 &&
	    res.status == 0 && res.out.data != NULL &&
	    sscanf(res.out.data, "%lld", &bytes) == 1)
		snprintf(out, size, "%.0fMB", (double)bytes / 1e6);
	docker_cmd_free(&res);
}

/* The first line the profile's version command prints, or why it could not. */
static int
selftest_version(const struct lang_profile *lp, char *out, size_t size)
{
	const char *image = lp->build_argv != NULL ? lp->build_image : lp->run_image;
	const char **args;
	struct docker_cmd res;
	size_t n = lang_strv_len((const char *const *)lp->version_argv), i, k = 0;
	const struct buf *b;
	char err[256];
	int rc = 1;

	if (n == 0) {
		snprintf(out, size, "(no version command)");
		return 0;
	}
	args = xcalloc(n + 16, sizeof *args);
	args[k++] = "run";
	args[k++] = "--rm";
	args[k++] = "--pull";
	args[k++] = "never";
	args[k++] = "--network";
	args[k++] = "none";
	args[k++] = "--label";
	args[k++] = "scrc=1";
	/* podman's default limits are more than a process here may set. */
	args[k++] = "--ulimit";
	args[k++] = "nofile=1024:1024";
	if (docker_flavour() == DOCKER_FLAVOUR_PODMAN) {
		args[k++] = "--ulimit";
		args[k++] = "nproc=1024:1024";
	}
	args[k++] = "--entrypoint";
	args[k++] = lp->version_argv[0];
	args[k++] = image;
	for (i = 1; i < n; i++)
		args[k++] = lp->version_argv[i];
	if (docker_cmd_run(args, NULL, 0, SELFTEST_CALL_MS, &res, err, sizeof err) != 0)
		snprintf(out, size, "VERSION FAILED: %.100s", err);
	else if (res.status != 0)
		snprintf(out, size, "VERSION FAILED: exit %d", res.status);
	else {
		/* java -version and friends print on stderr; perl -v starts with a blank line. */
		const char *t;

		b = res.out.len > 0 ? &res.out : &res.err;
		t = b->data != NULL ? b->data : "";
		t += strspn(t, "\n");
		snprintf(out, size, "%.*s", (int)strcspn(t, "\n"), t);
		rc = 0;
	}
	docker_cmd_free(&res);
	free(args);
	return rc;
}

int
selftest_list(const struct lang_set *langs)
{
	char version[160], size[32], bsize[32], aliases[160];
	size_t i, j;
	int rc = 0;

	printf("%-12s %-24s %-44s %s\n", "language", "aliases", "version", "image (size)");
	for (i = 0; i < lang_set_count(langs); i++) {
		const struct lang_profile *lp = lang_set_at(langs, i);

		aliases[0] = '\0';
		for (j = 0; lp->aliases[j] != NULL; j++)
			snprintf(aliases + strlen(aliases), sizeof aliases - strlen(aliases), "%s%s",
			    j > 0 ? "," : "", lp->aliases[j]);
		selftest_image_size(lp->run_image, size, sizeof size);
		if (strcmp(size, "missing") == 0)
			rc = 1;
		if (selftest_version(lp, version, sizeof version) != 0)
			rc = 1;
		if (lp->build_argv != NULL && strcmp(lp->build_image, lp->run_image) != 0) {
			selftest_image_size(lp->build_image, bsize, sizeof bsize);
			if (strcmp(bsize, "missing") == 0)
				rc = 1;
			printf("%-12s %-24s %-44.44s %s (%s), build %s (%s)\n", lp->name,
			    aliases[0] != '\0' ? aliases : "-", version, lp->run_image, size,
			    lp->build_image, bsize);
		} else
			printf("%-12s %-24s %-44.44s %s (%s)\n", lp->name,
			    aliases[0] != '\0' ? aliases : "-", version, lp->run_image, size);
	}
	return rc;
}

/* Judges one profile's self-test program; prints its line. 0 when OK. */
static int
selftest_one(const struct lang_set *langs, const struct lang_profile *lp)
{
	struct request req;
	struct request_test test;
	struct result res;
	int64_t t0;
	int rc;

	if (lp->self_test == NULL) {
		printf("%-12s %-6s %s\n", lp->name, "FAIL", "the profile has no self_test program");
		return 1;
	}
	memset(&req, 0, sizeof req);
	memset(&test, 0, sizeof test);
	test.number = 1;
	test.input = SELFTEST_INPUT;
	test.input_len = strlen(SELFTEST_INPUT);
	test.expected = SELFTEST_INPUT;
	test.expected_len = strlen(SELFTEST_INPUT);
	req.type = REQUEST_SCRIPT;
	req.id = xasprintf("self-test-%s", lp->name);
	req.language = lp->name;
	req.source = lp->self_test;
	req.source_len = strlen(lp->self_test);
	req.tests = &test;
	req.ntests = 1;
	t0 = util_now_ms();
	judge_submission(langs, &req, &res);
	judge_release();
	rc = res.status == RESULT_OK ? 0 : 1;
	printf("%-12s %-6s %6.2fs %7lldms  %s%s%s\n", lp->name, result_status_name(res.status),
	    (double)(util_now_ms() - t0) / 1000.0,
	    (long long)(res.ntests > 0 ? res.tests[0].duration_ms : 0), lp->run_image,
	    rc != 0 ? "  " : "",
	    rc != 0 ? (res.error ? res.error : res.reason ? res.reason : "") : "");
	if (rc != 0 && res.status == RESULT_BF && res.err.len > 0)
		printf("%12s %.*s\n", "", (int)strcspn(res.err.data, "\n"), res.err.data);
	result_free(&res);
	free(req.id);
	return rc;
}

int
selftest_run(const struct lang_set *langs, char *const *names, size_t n)
{
	size_t i, failed = 0, count = 0;
	const struct lang_profile *lp;

	printf("%-12s %-6s %7s %9s  %s\n", "language", "status", "judged", "run", "image");
	if (n == 0) {
		for (i = 0; i < lang_set_count(langs); i++, count++)
			failed += (size_t)selftest_one(langs, lang_set_at(langs, i));
	} else {
		for (i = 0; i < n; i++, count++) {
			if ((lp = lang_find(langs, names[i])) == NULL) {
				printf("%-12s %-6s %s\n", names[i], "FAIL", "no such language profile");
				failed++;
			} else
				failed += (size_t)selftest_one(langs, lp);
		}
	}
	printf("%zu of %zu languages OK\n", count - failed, count);
	return failed > 0 ? 1 : 0;
}
