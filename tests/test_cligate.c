/*
 * test_cligate.c - the gate on docker CLI calls (cligate.c): no gate but a
 * worker's; as many holders as slots and no more; a slot free once its CLI
 * has ended (reaped or not), or when its pid now names another process; a
 * call that waited too long going ahead; the owner named by the
 * environment; the files removed by their owner (also those only its
 * judges made) or, once it is gone, by the sweep.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "chan.h"
#include "cligate.h"
#include "util.h"

static char base[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(base, sizeof base, "/tmp/test-cligate-%ld", (long)getpid());
	chan_set_dir(base);
	unsetenv(CLIGATE_ENV);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", base);
	return system(cmd) == 0 ? 0 : -1;
}

/* How many entries the gate's dir holds. */
static int
entries(void)
{
	char cmd[160], line[64];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", base);
	f = popen(cmd, "r");
	if (f != NULL && fgets(line, sizeof line, f) != NULL)
		n = atoi(line);
	if (f != NULL)
		pclose(f);
	return n;
}

/* A child that runs until killed, as a CLI does until it ends. */
static pid_t
cli_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	assert_true(pid > 0);
	return pid;
}

static void
test_no_gate(void **state)
{
	(void)state;
	/* Neither a worker nor one of its judges: no gate. */
	cligate_configure(2, 1000);
	assert_int_equal(cligate_enter(), -1);
	/* A worker's, with no bound. */
	cligate_export();
	cligate_configure(0, 1000);
	assert_int_equal(cligate_enter(), -1);
	unsetenv(CLIGATE_ENV);
	/* Nothing was made for them. */
	assert_true(access(base, F_OK) != 0);
}

static void
test_slots(void **state)
{
	pid_t one, two;
	int a, b, c, st;
	int64_t t0;

	(void)state;
	cligate_export();
	cligate_configure(2, 150);
	one = cli_child();
	two = cli_child();
	a = cligate_enter();
	assert_true(a >= 0);
	assert_int_not_equal(fcntl(a, F_GETFD) & FD_CLOEXEC, 0);
	cligate_held_by(a, one);
	b = cligate_enter();
	assert_true(b >= 0);
	cligate_held_by(b, two);
	/* Both held: the third waits its 150 ms out and goes ahead without one. */
	t0 = util_now_ms();
	assert_int_equal(cligate_enter(), -1);
	assert_true(util_now_ms() - t0 >= 140);
	/* One CLI ended, not yet reaped: its slot is free, whoever looks. */
	kill(one, SIGKILL);
	t0 = util_now_ms();
	do
		c = cligate_enter();
	while (c < 0 && util_now_ms() - t0 < 2000);
	assert_true(c >= 0);
	/* A call that did not start frees its slot at once. */
	cligate_held_by(c, 0);
	c = cligate_enter();
	assert_true(c >= 0);
	cligate_held_by(c, 0);
	kill(two, SIGKILL);
	assert_int_equal(waitpid(one, &st, 0), one);
	assert_int_equal(waitpid(two, &st, 0), two);
	assert_int_equal(entries(), 2);
	/* Their owner removes them. */
	cligate_remove();
	assert_int_equal(entries(), 0);
	unsetenv(CLIGATE_ENV);
}

/* A slot naming a pid that another process has since taken is free. */
static void
test_pid_reused(void **state)
{
	char path[256], name[64], line[64];
	int fd;

	(void)state;
	cligate_export();
	cligate_configure(1, 50);
	fd = cligate_enter();
	assert_true(fd >= 0);
	/* This process holds it, as far as the file says. */
	cligate_held_by(fd, getpid());
	assert_int_equal(cligate_enter(), -1);
	/* The same pid with another start time: not the process that took it. */
	snprintf(name, sizeof name, "%ld-gate.0", (long)getpid());
	assert_int_equal(chan_own_path(name, path, sizeof path, NULL, 0), 0);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	snprintf(line, sizeof line, "%ld 1\n", (long)getpid());
	assert_int_equal(write(fd, line, strlen(line)), (ssize_t)strlen(line));
	close(fd);
	fd = cligate_enter();
	assert_true(fd >= 0);
	cligate_held_by(fd, 0);
	cligate_remove();
	unsetenv(CLIGATE_ENV);
}

/* A worker that never called removes the slot files its judges made. */
static void
test_remove_judges_files(void **state)
{
	pid_t judge;
	int st;

	(void)state;
	cligate_export();
	cligate_configure(2, 50);
	judge = fork();
	if (judge == 0) {
		int fd;

		cligate_configure(2, 50);
		fd = cligate_enter();
		cligate_held_by(fd, 0);
		_exit(fd >= 0 ? 0 : 1);
	}
	assert_true(judge > 0);
	assert_int_equal(waitpid(judge, &st, 0), judge);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(entries(), 2);
	cligate_remove();
	assert_int_equal(entries(), 0);
	unsetenv(CLIGATE_ENV);
}

static int
alive(long pid)
{
	return kill((pid_t)pid, 0) == 0;
}

/* A judge shares its worker's gate; it does not remove it; the sweep does. */
static void
test_owner(void **state)
{
	char env[32], path[256];
	struct stat st;
	pid_t dead;
	int fd, status;

	(void)state;
	dead = fork();
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, &status, 0), dead);
	snprintf(env, sizeof env, "%ld", (long)dead);
	setenv(CLIGATE_ENV, env, 1);
	cligate_configure(1, 50);
	fd = cligate_enter();
	assert_true(fd >= 0);
	cligate_held_by(fd, 0);
	assert_int_equal(chan_own_path(env, path, sizeof path, NULL, 0), 0);
	strcat(path, "-gate.0");
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	cligate_remove();
	assert_int_equal(stat(path, &st), 0);
	/* Its owner is gone: the next worker's sweep removes it. */
	assert_int_equal(chan_sweep(alive), 1);
	assert_true(stat(path, &st) != 0 && errno == ENOENT);
	/* cligate_export makes the gate this process's own again. */
	cligate_export();
	assert_string_equal(getenv(CLIGATE_ENV), (snprintf(env, sizeof env, "%ld",
	    (long)getpid()), env));
	unsetenv(CLIGATE_ENV);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove_judges_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
