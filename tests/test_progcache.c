/*
 * test_progcache.c - SHA-256 against the standard's vectors, cache keys
 * that change with everything a build depends on (the image's id, the
 * expanded command) and with nothing else, entries of built and failed
 * builds stored and read back whole, malformed ones refused, eviction of
 * the least recently used, lock files removed by their holders and what
 * killed judges left swept, and a directory that is not ours alone refused.
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "imageid.h"
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

/* A C++ profile and a submission to it, as progcache_key sees them. */
struct key_case {
	struct lang_profile	 lp;
	struct request_file	 f;
	struct plan_limits	 lim;
	struct build_input	 in;
};

static void
key_case_init(struct key_case *c, char **argv)
{
	memset(c, 0, sizeof *c);
	c->lp.name = "cpp";
	c->lp.source = "main.cpp";
	c->lp.workdir = "/box";
	c->lp.build_image = c->lp.run_image = "scrc/cpp:bookworm";
	c->lp.build_argv = argv;
	c->lp.build_time_ms = 10000;
	c->lim.time_ms = 1000;
	c->lim.memory_bytes = 64 << 20;
	c->in.lp = &c->lp;
	c->in.lim = &c->lim;
	c->in.main = "Main";
	c->in.source = "int main(){}";
	c->in.source_len = strlen(c->in.source);
}

static void
test_key(void **state)
{
	struct key_case c;
	char *argv1[] = { "g++", "{src}", NULL }, *argv2[] = { "g++", "-O2", "{src}", NULL };
	char a[65], b[65];

	(void)state;
	setenv("SCRC_IMAGE_IDS", "scrc/cpp:bookworm=sha256:1111 other=sha256:2", 1);
	imageid_reset();
	key_case_init(&c, argv1);
	assert_int_equal(progcache_key("submission", &c.in, a), 0);
	assert_int_equal(progcache_key("submission", &c.in, b), 0);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 64);
	/* Entries of checkers and of submissions never meet. */
	assert_int_equal(progcache_key("setter", &c.in, b), 0);
	assert_string_not_equal(a, b);
	c.lp.build_argv = argv2;
	assert_int_equal(progcache_key("submission", &c.in, b), 0);
	assert_string_not_equal(a, b);
	c.lp.build_argv = argv1;
	c.lp.build_time_ms = 20000;
	assert_int_equal(progcache_key("submission", &c.in, b), 0);
	assert_string_not_equal(a, b);
	c.lp.build_time_ms = 10000;
	c.f.name = "testlib.h";
	c.f.content = "x";
	c.f.len = 1;
	c.in.files = &c.f;
	c.in.nfiles = 1;
	assert_int_equal(progcache_key("submission", &c.in, b), 0);
	assert_string_not_equal(a, b);
	/* The same bytes split differently between name and content differ. */
	c.f.name = "testlib.hx";
	c.f.content = "";
	c.f.len = 0;
	assert_int_equal(progcache_key("submission", &c.in, a), 0);
	assert_string_not_equal(a, b);
}

static void
test_key_limits_and_image(void **state)
{
	struct key_case c;
	char *argv1[] = { "g++", "{src}", NULL };
	char *argv_mem[] = { "g++", "-DMB={memory_mb}", "{src}", NULL };
	char a[65], b[65];

	(void)state;
	setenv("SCRC_IMAGE_IDS", "localhost/scrc/cpp:bookworm=sha256:1111", 1);
	imageid_reset();
	key_case_init(&c, argv1);
	assert_int_equal(progcache_key("submission", &c.in, a), 0);
	/* A rejudge with other limits reuses a build that never saw them... */
	c.lim.time_ms = 5000;
	c.lim.memory_bytes = 512 << 20;
	assert_int_equal(progcache_key("submission", &c.in, b), 0);
	assert_string_equal(a, b);
	/* ...but not one whose command line holds them. */
	c.lp.build_argv = argv_mem;
	assert_int_equal(progcache_key("submission", &c.in, a), 0);
	c.lim.memory_bytes = 256 << 20;
	assert_int_equal(progcache_key("submission", &c.in, b), 0);
	assert_string_not_equal(a, b);
	/* The image rebuilt under the same name is another image. */
	setenv("SCRC_IMAGE_IDS", "scrc/cpp:bookworm=sha256:2222", 1);
	imageid_reset();
	assert_int_equal(progcache_key("submission", &c.in, a), 0);
	assert_string_not_equal(a, b);
	/* An image nobody knows: no key, so no cache. */
	setenv("SCRC_IMAGE_IDS", "scrc/c:bookworm=sha256:3333", 1);
	imageid_reset();
	assert_int_equal(progcache_key("submission", &c.in, a), -1);
	/* A broken template: no key either (the build reports it). */
	setenv("SCRC_IMAGE_IDS", "scrc/cpp:bookworm=sha256:2222", 1);
	imageid_reset();
	argv_mem[1] = "{nosuchvar}";
	assert_int_equal(progcache_key("submission", &c.in, a), -1);
	unsetenv("SCRC_IMAGE_IDS");
	imageid_reset();
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
	struct build_outcome bo;
	char err[256], key[3][65];
	int i, lock;

	(void)state;
	snprintf(dir, sizeof dir, "/tmp/scrc-test-progcache-%ld", (long)getpid());
	assert_int_equal(progcache_configure(dir, 2500000, err, sizeof err), 0);
	assert_int_not_equal(progcache_get("0000", &out, &bo), 0);
	for (i = 0; i < 3; i++) {
		memset(key[i], 'a' + i, 64);
		key[i][64] = '\0';
		one_file(&in, "sub/main", 1000000, (char)('x' + i));
		lock = progcache_lock(key[i]);
		assert_true(lock >= 0);
		progcache_put(key[i], &in);
		progcache_unlock(lock);
		docker_files_free(&in);
		assert_int_equal(progcache_get(key[i], &out, &bo), 0);
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
	assert_int_not_equal(progcache_get(key[0], &out, &bo), 0);
	assert_int_equal(progcache_get(key[1], &out, &bo), 0);
	docker_files_free(&out);
	assert_int_equal(progcache_get(key[2], &out, &bo), 0);
	docker_files_free(&out);
}

static void
test_failure_entry(void **state)
{
	struct docker_files files;
	struct build_outcome in, out;
	char key[65], *path;
	FILE *f;

	(void)state;
	memset(&in, 0, sizeof in);
	buf_init(&in.out);
	buf_init(&in.err);
	in.failed = in.repeatable = 1;
	in.exit_code = 1;
	in.wall_ms = 321;
	in.cpu_ms = 300;
	in.memory_bytes = 12345678;
	snprintf(in.reason, sizeof in.reason, "build failed");
	buf_append(&in.err, "main.c:1: error: expected ';'\0and a NUL", 40);
	memset(key, 'f', 64);
	key[64] = '\0';
	progcache_put_failure(key, &in);
	assert_int_equal(progcache_get(key, &files, &out), 1);
	assert_int_equal(files.n, 0);
	assert_true(out.failed);
	assert_int_equal(out.exit_code, 1);
	assert_int_equal(out.wall_ms, 321);
	assert_int_equal(out.cpu_ms, 300);
	assert_int_equal(out.memory_bytes, 12345678);
	assert_string_equal(out.reason, "build failed");
	assert_int_equal(out.out.len, 0);
	assert_int_equal(out.err.len, 40);
	assert_memory_equal(out.err.data, in.err.data, 40);
	build_outcome_free(&out);
	build_outcome_free(&in);

	/* An entry of the first format, or one cut short, is no hit. */
	path = xasprintf("%s/%s.prog", dir, key);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("scrc-prog 1\nmain", f);
	fclose(f);
	assert_int_equal(progcache_get(key, &files, &out), -1);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite("scrc-prog 2\nfailed\0001\0003", 1, 19, f);
	fclose(f);
	assert_int_equal(progcache_get(key, &files, &out), -1);
	assert_int_equal(out.err.len, 0);
	free(path);
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

/* Sets a file's mtime `ago` seconds back. */
static void
age_file(const char *path, time_t ago)
{
	struct timespec ts[2];

	ts[0].tv_sec = ts[1].tv_sec = time(NULL) - ago;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void
touch_file(const char *path, time_t ago)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "partial", 7), 7);
	close(fd);
	age_file(path, ago);
}

static void
test_no_lock_files_pile_up(void **state)
{
	struct docker_files in;
	char err[256], key[65], *lockpath, *stale_tmp, *fresh_tmp, *stale_lock, *held_lock;
	int lock, other;

	(void)state;
	assert_int_equal(progcache_configure(dir, 1 << 20, err, sizeof err), 0);
	memset(key, 'l', 64);
	key[64] = '\0';
	lockpath = xasprintf("%s/%s.lock", dir, key);
	lock = progcache_lock(key);
	assert_true(lock >= 0);
	assert_int_equal(access(lockpath, F_OK), 0);
	/* One lock at a time per process. */
	assert_int_equal(progcache_lock("other"), -1);
	progcache_unlock(lock);
	assert_int_equal(access(lockpath, F_OK), -1);

	/* What killed judges left: only the old and unheld files go at the next store. */
	stale_tmp = xasprintf("%s/%s.tmp4242", dir, "a0");
	fresh_tmp = xasprintf("%s/%s.tmp4343", dir, "a1");
	stale_lock = xasprintf("%s/%s.lock", dir, "a2");
	held_lock = xasprintf("%s/%s.lock", dir, "a3");
	touch_file(stale_tmp, 3600);
	touch_file(fresh_tmp, 10);
	touch_file(stale_lock, 3600);
	other = progcache_lock("a3");	/* a live judge's, however old */
	assert_true(other >= 0);
	age_file(held_lock, 3600);
	one_file(&in, "main", 100, 'z');
	progcache_put(key, &in);
	docker_files_free(&in);
	assert_int_equal(access(stale_tmp, F_OK), -1);
	assert_int_equal(access(fresh_tmp, F_OK), 0);
	assert_int_equal(access(stale_lock, F_OK), -1);
	assert_int_equal(access(held_lock, F_OK), 0);
	progcache_unlock(other);
	assert_int_equal(access(held_lock, F_OK), -1);
	free(lockpath);
	free(stale_tmp);
	free(fresh_tmp);
	free(stale_lock);
	free(held_lock);
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
		cmocka_unit_test(test_key_limits_and_image),
		cmocka_unit_test(test_store_and_evict),
		cmocka_unit_test(test_failure_entry),
		cmocka_unit_test(test_no_lock_files_pile_up),
		cmocka_unit_test(test_refuses_shared_dir),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
