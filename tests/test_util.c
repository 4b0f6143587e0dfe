/*
 * test_util.c - the duration and size parsers used by configuration and
 * profiles, the byte buffer, and the small helpers around them. One cmocka
 * test per table row.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

#include "rows.h"

struct parse_case {
	const char	*in;
	int		 rc;
	int64_t		 out;
	int		 err;	/* errno with rc -1: EINVAL malformed, ERANGE too large */
};

static const struct parse_case duration_cases[] = {
	{ "500ms", 0, 500, 0 },
	{ "5s", 0, 5000, 0 },
	{ "2m30s", 0, 150000, 0 },
	{ "1.5s", 0, 1500, 0 },
	{ "1h", 0, 3600000, 0 },
	{ "1h2m3s4ms", 0, 3723004, 0 },
	{ "0", 0, 0, 0 },
	{ "0s", 0, 0, 0 },
	{ "250", 0, 250, 0 },			/* a bare number is milliseconds */
	{ ".5s", 0, 500, 0 },
	{ "1500us", 0, 2, 0 },			/* rounded to the nearest ms */
	{ "1400us", 0, 1, 0 },
	{ "1000000ns", 0, 1, 0 },
	{ "1\xc2\xb5s", 0, 0, 0 },			/* µs */
	{ "9223372036854775807", 0, INT64_MAX, 0 },
	{ "", -1, 0, EINVAL },
	{ "5x", -1, 0, EINVAL },
	{ "-1s", -1, 0, EINVAL },
	{ "-1", -1, 0, EINVAL },
	{ "s", -1, 0, EINVAL },
	{ "ms", -1, 0, EINVAL },
	{ ".", -1, 0, EINVAL },
	{ "5", 0, 5, 0 },
	{ "5 s", -1, 0, EINVAL },
	{ " 5s", -1, 0, EINVAL },
	{ "5s ", -1, 0, EINVAL },
	{ "1.5.5s", -1, 0, EINVAL },
	{ "5sec", -1, 0, EINVAL },
	{ "1d", -1, 0, EINVAL },
	{ "inf", -1, 0, EINVAL },
	{ "nan", -1, 0, EINVAL },
	{ "1e400s", -1, 0, EINVAL },
	{ "99999999999999999999h", -1, 0, ERANGE },
	{ "2m-30s", -1, 0, EINVAL },
	{ "+5", -1, 0, EINVAL },
	{ " 5", -1, 0, EINVAL },
	{ "1.5h", 0, 5400000, 0 },
	{ "9223372036854775807ms", 0, INT64_MAX, 0 },
	{ "9223372036854775807ms0.4ms", 0, INT64_MAX, 0 },
	{ "153722867280912m55807ms", 0, INT64_MAX, 0 },
	{ "2562047788015h", 0, 9223372036854000000LL, 0 },
	/* Past INT64_MAX ms: an error, never saturated or rounded off. */
	{ "9223372036854775808", -1, 0, ERANGE },
	{ "99999999999999999999", -1, 0, ERANGE },
	{ "9223372036854775808ms", -1, 0, ERANGE },
	{ "9223372036854775807ms1ms", -1, 0, ERANGE },
	{ "9223372036854775807ms0.5ms", -1, 0, ERANGE },
	{ "153722867280913m", -1, 0, ERANGE },
	{ "2562047788016h", -1, 0, ERANGE },
	{ "99999999999999h", -1, 0, ERANGE },
	{ "1000000000000000000000000000000ns", -1, 0, ERANGE },
	{ "9223372036854775807ns", 0, 9223372036855, 0 },
};

static void
test_duration(void **state)
{
	const struct parse_case *c = *state;
	int64_t out = -12345;

	errno = 0;
	assert_int_equal(util_parse_duration_ms(c->in, &out), c->rc);
	if (c->rc == 0)
		assert_true(out == c->out);
	else {
		assert_true(out == -12345);
		assert_int_equal(errno, c->err);
	}	/* untouched on failure */
}

static const struct parse_case bytes_cases[] = {
	{ "0", 0, 0, 0 },
	{ "1024", 0, 1024, 0 },
	{ "1k", 0, 1024, 0 },
	{ "1K", 0, 1024, 0 },
	{ "1KB", 0, 1024, 0 },
	{ "1KiB", 0, 1024, 0 },
	{ "64m", 0, 64 << 20, 0 },
	{ "64MiB", 0, 64 << 20, 0 },
	{ "2G", 0, 2LL << 30, 0 },
	{ "2GB", 0, 2LL << 30, 0 },
	{ "100B", 0, 100, 0 },
	{ "9223372036854775807", 0, INT64_MAX, 0 },
	{ "8589934591G", 0, 8589934591LL << 30, 0 },
	{ "", -1, 0, EINVAL },
	{ "-1", -1, 0, EINVAL },
	{ "+1", -1, 0, EINVAL },
	{ " 1", -1, 0, EINVAL },
	{ "1 k", -1, 0, EINVAL },
	{ "1T", -1, 0, EINVAL },
	{ "1.5M", -1, 0, EINVAL },
	{ "k", -1, 0, EINVAL },
	{ "1iB", -1, 0, EINVAL },
	{ "1KiBx", -1, 0, EINVAL },
	{ "1kk", -1, 0, EINVAL },
	{ "9223372036854775808", -1, 0, ERANGE },
	{ "8589934592G", -1, 0, ERANGE },
	{ "99999999999999999999", -1, 0, ERANGE },
	{ "0x10", -1, 0, EINVAL },
	{ "9999999999999G", -1, 0, ERANGE },
	{ "8796093022208M", -1, 0, ERANGE },
	{ "18446744073709551616", -1, 0, ERANGE },
	{ "18446744073709551615", -1, 0, ERANGE },
};

static void
test_bytes(void **state)
{
	const struct parse_case *c = *state;
	int64_t out = -12345;

	errno = 0;
	assert_int_equal(util_parse_bytes(c->in, &out), c->rc);
	if (c->rc == 0)
		assert_true(out == c->out);
	else {
		assert_true(out == -12345);
		assert_int_equal(errno, c->err);
	}
}

static void
test_parse_null(void **state)
{
	int64_t out;

	(void)state;
	assert_int_equal(util_parse_duration_ms(NULL, &out), -1);
	assert_int_equal(util_parse_bytes(NULL, &out), -1);
}

struct sat_case {
	int64_t	a, b;
	int64_t	sum, product;
};

static const struct sat_case sat_cases[] = {
	{ 2, 3, 5, 6 },
	{ -2, 3, 1, -6 },
	{ 0, INT64_MAX, INT64_MAX, 0 },
	{ INT64_MAX, 1, INT64_MAX, INT64_MAX },
	{ INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX },
	{ INT64_MIN, -1, INT64_MIN, INT64_MAX },
	{ INT64_MIN, INT64_MAX, -1, INT64_MIN },
	{ 4611686018427387904LL, 2, 4611686018427387906LL, INT64_MAX },
	{ -4611686018427387905LL, 2, -4611686018427387903LL, INT64_MIN },
	{ 3037000500LL, 3037000500LL, 6074001000LL, INT64_MAX },
	{ 3037000499LL, 3037000499LL, 6074000998LL, 9223372030926249001LL },
};

static void
test_sat(void **state)
{
	const struct sat_case *c = *state;

	assert_true(util_add_sat(c->a, c->b) == c->sum);
	assert_true(util_add_sat(c->b, c->a) == c->sum);
	assert_true(util_mul_sat(c->a, c->b) == c->product);
	assert_true(util_mul_sat(c->b, c->a) == c->product);
}

/* struct buf: NUL bytes, growth, printf, reset, steal, free. */
static void
test_buf(void **state)
{
	struct buf b;
	char *p;
	size_t len, i;

	(void)state;
	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_append(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);		/* always NUL-terminated */
	buf_putc(&b, '\0');
	buf_puts(&b, "cd");
	assert_int_equal(b.len, 6);
	assert_memory_equal(b.data, "a\0b\0cd", 7);
	buf_printf(&b, "%d-%s", 42, "x");
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.data + 6, "42-x", 5);
	buf_append(&b, NULL, 0);
	assert_int_equal(b.len, 10);
	for (i = 0; i < 100000; i++)
		buf_putc(&b, (char)('0' + i % 10));
	assert_int_equal(b.len, 100010);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(b.data[100009], '9');
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_printf(&b, "%s", "");
	assert_int_equal(b.len, 0);
	buf_printf(&b, "%0500d", 7);			/* past the first allocation */
	assert_int_equal(b.len, 500);
	assert_int_equal(b.data[499], '7');
	p = buf_steal(&b, &len);
	assert_int_equal(len, 500);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(p);
	p = buf_steal(&b, &len);			/* empty: an empty string */
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	free(p);
	buf_puts(&b, "x");
	buf_free(&b);
	assert_null(b.data);
	buf_free(&b);					/* twice is fine */
}

static void
test_helpers(void **state)
{
	char err[8], *p;

	(void)state;
	p = xmemdup("a\0b", 3);
	assert_memory_equal(p, "a\0b\0", 4);
	free(p);
	p = xmemdup(NULL, 0);
	assert_string_equal(p, "");
	free(p);
	p = xasprintf("%s=%d", "n", 5);
	assert_string_equal(p, "n=5");
	free(p);
	util_seterr(err, sizeof err, "%s", "much too long");
	assert_string_equal(err, "much to");
	util_seterr(NULL, 0, "ignored %d", 1);
	{
		char ts[32];

		util_timestamp(ts, sizeof ts);
		assert_int_equal(strlen(ts), 24);
		assert_true(ts[4] == '-' && ts[10] == 'T' && ts[19] == '.' && ts[23] == 'Z');
	}
	{
		int64_t a = util_now_ms(), b = util_now_ms();

		assert_true(b >= a);
	}
}

/* Our own state, a zombie's, and nothing once the child is reaped. */
static void
test_proc_stat(void **state)
{
	char buf[1024];
	const char *st;
	pid_t pid;
	int status;

	(void)state;
	st = util_proc_stat(getpid(), buf, sizeof buf);
	assert_non_null(st);
	assert_int_equal(*st, 'R');
	pid = fork();
	if (pid == 0)
		_exit(0);
	assert_true(pid > 0);
	/* Not reaped yet: a zombie, once it has exited. */
	do
		st = util_proc_stat(pid, buf, sizeof buf);
	while (st != NULL && *st != 'Z');
	assert_non_null(st);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	errno = 0;
	assert_null(util_proc_stat(pid, buf, sizeof buf));
	assert_int_equal(errno, ENOENT);
	/* Too small a buffer for the line: no state read from half of it. */
	assert_null(util_proc_stat(getpid(), buf, 8));
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof duration_cases / sizeof duration_cases[0]; i++)
		add(xasprintf("duration \"%s\"", duration_cases[i].in), test_duration,
		    &duration_cases[i]);
	for (i = 0; i < sizeof bytes_cases / sizeof bytes_cases[0]; i++)
		add(xasprintf("bytes \"%s\"", bytes_cases[i].in), test_bytes, &bytes_cases[i]);
	for (i = 0; i < sizeof sat_cases / sizeof sat_cases[0]; i++)
		add(xasprintf("saturating %lld, %lld", (long long)sat_cases[i].a,
		    (long long)sat_cases[i].b), test_sat, &sat_cases[i]);
	add("NULL inputs", test_parse_null, NULL);
	add("buf", test_buf, NULL);
	add("helpers", test_helpers, NULL);
	add("/proc/PID/stat", test_proc_stat, NULL);
	return _cmocka_run_group_tests("util", all, nall, NULL, NULL);
}
