/*
 * test_imageid.c - image names looked up in the worker's listing in one
 * spelling (podman's localhost/ prefix, docker.io's, an implied :latest),
 * digests standing for themselves, unknown names unknown.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "imageid.h"

static void
test_lookup(void **state)
{
	(void)state;
	setenv(IMAGEID_ENV, "localhost/scrc/c:bookworm=sha256:c1 "
	    "docker.io/library/alpine:latest=sha256:a1\tscrc/go=sha256:g1 =sha256:x "
	    "broken <none>:<none>=sha256:n1", 1);
	imageid_reset();
	assert_string_equal(imageid_get("scrc/c:bookworm"), "sha256:c1");
	assert_string_equal(imageid_get("localhost/scrc/c:bookworm"), "sha256:c1");
	assert_string_equal(imageid_get("alpine"), "sha256:a1");
	assert_string_equal(imageid_get("docker.io/alpine:latest"), "sha256:a1");
	assert_string_equal(imageid_get("scrc/go:latest"), "sha256:g1");
	assert_null(imageid_get("scrc/c:trixie"));
	assert_null(imageid_get("scrc/c"));
	assert_null(imageid_get("broken"));
	assert_null(imageid_get("<none>:<none>"));
	assert_null(imageid_get(""));
	assert_null(imageid_get(NULL));
	/* A registry with a port is no tag. */
	setenv(IMAGEID_ENV, "reg:5000/judge/c=sha256:r1", 1);
	imageid_reset();
	assert_string_equal(imageid_get("reg:5000/judge/c:latest"), "sha256:r1");
	assert_string_equal(imageid_get("scrc/c@sha256:0123"), "sha256:0123");
	unsetenv(IMAGEID_ENV);
	imageid_reset();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
