/*
 * test_chan.c - a box's control channel, both ends: the host's listening
 * socket (chan.c) and scrc-box's connect (box-chan.c), run here in a
 * forked child as the box would. The right token gets a stream whose
 * socket and directory are gone from the host; a wrong one is dropped; the
 * channel dir must be ours alone; the sweep removes what dead judges left.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "box.h"
#include "chan.h"

static char base[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(base, sizeof base, "/tmp/test-chan-%ld", (long)getpid());
	chan_set_dir(base);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", base);
	if (system(cmd) != 0)
		return -1;
	return 0;
}

/* The box's side, in a child: connect with token, then say "hi" on fd 1. */
static pid_t
box_child(const char *path, const char *token)
{
	pid_t pid = fork();

	if (pid == 0) {
		setenv(CHAN_ENV_PATH, path, 1);
		setenv(CHAN_ENV_TOKEN, token, 1);
		if (box_chan_connect() != 0)
			_exit(3);
		/* Nothing of the channel is left for the programs it starts. */
		if (getenv(CHAN_ENV_TOKEN) != NULL || getenv(CHAN_ENV_PATH) != NULL)
			_exit(4);
		if (write(1, "hi", 2) != 2)
			_exit(5);
		_exit(0);
	}
	return pid;
}

static void
test_handshake(void **state)
{
	struct chan c;
	struct stat st;
	char err[256], got[8], dir[256], path[256];
	int fd, status;
	ssize_t n;
	pid_t pid;

	(void)state;
	assert_int_equal(chan_open(&c, err, sizeof err), 0);
	assert_int_equal(strlen(c.token), CHAN_TOKEN_LEN);
	/* The channel dir ours alone; the box's own dir and socket open to its root. */
	assert_int_equal(lstat(base, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(lstat(c.dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0711);
	assert_int_equal(lstat(c.path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	snprintf(dir, sizeof dir, "%s", c.dir);
	snprintf(path, sizeof path, "%s", c.path);
	/* Nobody yet: EAGAIN at the end of the wait. */
	assert_int_equal(chan_accept(&c, 50), -1);
	assert_int_equal(errno, EAGAIN);

	pid = box_child(path, c.token);
	fd = chan_accept(&c, 5000);
	assert_true(fd >= 0);
	/* Accepted: the host keeps nothing of it. */
	assert_int_equal(chan_fd(&c), -1);
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(lstat(dir, &st), -1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	n = read(fd, got, sizeof got);
	assert_int_equal(n, 2);
	assert_memory_equal(got, "hi", 2);
	close(fd);
	chan_close(&c);
}

static void
test_wrong_token(void **state)
{
	struct chan c;
	char err[256], bad[CHAN_TOKEN_LEN + 1];
	int fd, status;
	pid_t pid, good;

	(void)state;
	assert_int_equal(chan_open(&c, err, sizeof err), 0);
	memset(bad, 'a', CHAN_TOKEN_LEN);
	bad[CHAN_TOKEN_LEN] = '\0';
	if (strcmp(bad, c.token) == 0)
		bad[0] = 'b';
	pid = box_child(c.path, bad);
	/* Dropped: the wait goes on, and nobody else came. */
	assert_int_equal(chan_accept(&c, 500), -1);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	/* The real box still gets in after it. */
	good = box_child(c.path, c.token);
	fd = chan_accept(&c, 5000);
	assert_true(fd >= 0);
	assert_int_equal(waitpid(good, &status, 0), good);
	assert_int_equal(WEXITSTATUS(status), 0);
	close(fd);
	chan_close(&c);
	/* A token of the wrong length never leaves the box. */
	pid = box_child("/nonexistent/s", "short");
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 3);
}

static void
test_dir_not_ours_alone(void **state)
{
	struct chan c;
	char err[256];

	(void)state;
	assert_int_equal(mkdir(base, 0700) == 0 || errno == EEXIST, 1);
	assert_int_equal(chmod(base, 0777), 0);
	assert_int_equal(chan_open(&c, err, sizeof err), -1);
	assert_non_null(strstr(err, "only we can enter"));
	assert_int_equal(chmod(base, 0700), 0);
	assert_int_equal(chan_open(&c, err, sizeof err), 0);
	chan_close(&c);
}

static int
alive_none(long pid)
{
	(void)pid;
	return 0;
}

static int
alive_all(long pid)
{
	(void)pid;
	return 1;
}

static void
test_sweep(void **state)
{
	struct chan c, mine;
	char err[256], other[256], dir[256];
	struct stat st;
	const char *slash;

	(void)state;
	assert_int_equal(chan_open(&c, err, sizeof err), 0);
	/* Another judge of this host (pid 1 here) that died before its box came. */
	slash = strrchr(c.dir, '/');
	snprintf(other, sizeof other, "%s/%.8s-1-XXXXXX", base, slash + 1);
	assert_non_null(mkdtemp(other));
	snprintf(dir, sizeof dir, "%s/0badc0de-1-AAAAAA", base);
	assert_int_equal(mkdir(dir, 0711), 0);
	/* Its owner alive: kept. */
	assert_int_equal(chan_sweep(alive_all), 0);
	assert_int_equal(lstat(other, &st), 0);
	/* Gone: removed; ours (this pid) and another host's stay. */
	assert_int_equal(chan_sweep(alive_none), 1);
	assert_int_equal(lstat(other, &st), -1);
	assert_int_equal(lstat(c.dir, &st), 0);
	assert_int_equal(lstat(dir, &st), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(chan_open(&mine, err, sizeof err), 0);
	chan_close(&mine);
	chan_close(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_wrong_token),
		cmocka_unit_test(test_dir_not_ours_alone),
		cmocka_unit_test(test_sweep),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
