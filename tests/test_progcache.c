/*
 * test_progcache.c - SHA-256 against the standard's vectors, cache keys
 * that change with everything a build depends on, entries stored and read
 * back whole, eviction of the least recently used, and a directory that is
 * not ours alone refused.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "progcache.h"
#include "sha256.h"
#include "util.h"

static void
hex_of(const char *data, size_t len, size_t chunk, char hex[65])
{
	unsigned char out[32];
	struct sha256 s;
	size_t off, k;

	sha256_init(&s);
	for (off = 0; off < len; off += k) {
		k = len - off < chunk ? len - off : chunk;
		sha256_update(&s, data + off, k);
	}
	sha256_final(&s, out, hex);
}

static void
test_sha256(void **state)
{
	char hex[65], *million;
	size_t chunks[] = { 1, 3, 63, 64, 65, 1000000 }, i;

	(void)state;
	hex_of("", 0, 1, hex);
	assert_string_equal(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, 1, hex);
	assert_string_equal(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, 7, hex);
	assert_string_equal(hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* One million 'a', fed in pieces that straddle block boundaries. */
	million = xmalloc(1000000);
	memset(million, 'a', 1000000);
	for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		hex_of(million, 1000000, chunks[i], hex);
		assert_string_equal(hex,
		    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
	free(million);
}

static void
test_key(void **state)
{
	struct lang_profile lp;
	struct request_program p;
	struct request_file f = { "testlib.h", "x", 1 };
	struct plan_limits lim = { 1000, 3000, 64 << 20 };
	char *argv1[] = { "g++", "main.cpp", NULL }, *argv2[] = { "g++", "-O2", "main.cpp", NULL };
	char a[65], b[65];

	(void)state;
	memset(&lp, 0, sizeof lp);
	memset(&p, 0, sizeof p);
	lp.name = "cpp";
	lp.source = "main.cpp";
	lp.build_image = lp.run_image = "scrc/cpp:bookworm";
	lp.build_argv = argv1;
	p.source = "int main(){}";
	p.source_len = strlen(p.source);
	progcache_key(&lp, &p, &lim, a);
	progcache_key(&lp, &p, &lim, b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 64);
	lp.build_argv = argv2;
	progcache_key(&lp, &p, &lim, b);
	assert_string_not_equal(a, b);
	lp.build_argv = argv1;
	p.files = &f;
	p.nfiles = 1;
	progcache_key(&lp, &p, &lim, b);
	assert_string_not_equal(a, b);
	/* The same bytes split differently between name and content differ. */
	f.name = "testlib.hx";
	f.content = "";
	f.len = 0;
	progcache_key(&lp, &p, &lim, a);
	assert_string_not_equal(a, b);
}

static char dir[256];

static void
one_file(struct docker_files *fs, const char *path, size_t len, char fill)
{
	memset(fs, 0, sizeof *fs);
	fs->v = xcalloc(1, sizeof *fs->v);
	fs->n = 1;
	fs->v[0].path = xstrdup(path);
	fs->v[0].mode = 0755;
	fs->v[0].data = xmalloc(len + 1);
	memset(fs->v[0].data, fill, len);
	fs->v[0].len = len;
}

static void
test_store_and_evict(void **state)
{
	struct docker_files in, out;
	char err[256], key[3][65];
	int i, lock;

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/scrc-test-progcache-%ld", (long)getpid());
	assert_int_equal(progcache_configure(dir, 2500000, err, sizeof err), 0);
	assert_int_not_equal(progcache_get("0000", &out), 0);
	for (i = 0; i < 3; i++) {
		memset(key[i], 'a' + i, 64);
		key[i][64] = '\0';
		one_file(&in, "sub/main", 1000000, (char)('x' + i));
		lock = progcache_lock(key[i]);
		assert_true(lock >= 0);
		progcache_put(key[i], &in);
		progcache_unlock(lock);
		docker_files_free(&in);
		assert_int_equal(progcache_get(key[i], &out), 0);
		assert_int_equal(out.n, 1);
		assert_string_equal(out.v[0].path, "sub/main");
		assert_int_equal(out.v[0].mode, 0755);
		assert_int_equal(out.v[0].len, 1000000);
		assert_int_equal(out.v[0].data[999999], 'x' + i);
		docker_files_free(&out);
		if (i == 0)
			sleep(1);	/* mtimes apart: the first is the oldest */
	}
	/* Three 1 MB entries under a 2.5 MB bound: the oldest went. */
	assert_int_not_equal(progcache_get(key[0], &out), 0);
	assert_int_equal(progcache_get(key[1], &out), 0);
	docker_files_free(&out);
	assert_int_equal(progcache_get(key[2], &out), 0);
	docker_files_free(&out);
}

static void
test_refuses_shared_dir(void **state)
{
	char err[256], shared[300];

	(void)state;
	snprintf(shared, sizeof shared, "%s-shared", dir);
	assert_int_equal(mkdir(shared, 0777), 0);
	assert_int_equal(chmod(shared, 0777), 0);
	assert_int_equal(progcache_configure(shared, 1 << 20, err, sizeof err), -1);
	assert_non_null(strstr(err, "caching is off"));
	assert_int_equal(progcache_lock("abc"), -1);
	rmdir(shared);
}

static int
teardown(void **state)
{
	char cmd[600];

	(void)state;
	if (dir[0] != '\0') {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_store_and_evict),
		cmocka_unit_test(test_refuses_shared_dir),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
