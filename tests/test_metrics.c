/*
 * test_metrics.c - the Prometheus text rendering (exact bytes: HELP/TYPE
 * lines, label escaping, histogram buckets with _sum and _count), the
 * series cap, the ADDR:PORT parser of the HTTP endpoint and the language
 * label the worker derives from untrusted records. Table-driven.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "httpd.h"
#include "metrics.h"
#include "monitor.h"
#include "util.h"

#include "rows.h"

static char *
render(struct metrics *m)
{
	struct buf b;

	buf_init(&b);
	metrics_render(m, &b);
	return buf_steal(&b, NULL);
}

struct value_case {
	double		 v;
	const char	*text;
};

static const struct value_case value_cases[] = {
	{ 0, "0" },
	{ 1, "1" },
	{ -3, "-3" },
	{ 0.1, "0.1" },
	{ 2.5, "2.5" },
	{ 1e21, "1e+21" },
	{ 123456789012, "123456789012" },
	{ 18446744073709551616.0, "1.8446744073709552e+19" },	/* 2^64, exactly */
	{ 0.30000000000000004, "0.30000000000000004" },	/* needs 17 digits */
	{ INFINITY, "+Inf" },
	{ -INFINITY, "-Inf" },
	{ NAN, "NaN" },
};

static void
test_value(void **state)
{
	const struct value_case *c = *state;
	struct buf b;

	buf_init(&b);
	metrics_format_value(&b, c->v);
	assert_string_equal(b.data, c->text);
	buf_free(&b);
}

/* Unlabelled families exist at 0 from the start; labelled ones show no series. */
static void
test_empty(void **state)
{
	static const char *const lbl[] = { "language", NULL };
	static const double bounds[] = { 1, 2 };
	struct metrics *m = metrics_new();
	char *t;

	(void)state;
	metrics_add(m, METRICS_COUNTER, "a_total", "Things.", NULL, NULL, 0);
	metrics_add(m, METRICS_GAUGE, "b", "By language.", lbl, NULL, 0);
	metrics_add(m, METRICS_HISTOGRAM, "c_seconds", "Time.", NULL, bounds, 2);
	t = render(m);
	assert_string_equal(t,
	    "# HELP a_total Things.\n"
	    "# TYPE a_total counter\n"
	    "a_total 0\n"
	    "# HELP b By language.\n"
	    "# TYPE b gauge\n"
	    "# HELP c_seconds Time.\n"
	    "# TYPE c_seconds histogram\n"
	    "c_seconds_bucket{le=\"1\"} 0\n"
	    "c_seconds_bucket{le=\"2\"} 0\n"
	    "c_seconds_bucket{le=\"+Inf\"} 0\n"
	    "c_seconds_sum 0\n"
	    "c_seconds_count 0\n");
	free(t);
	metrics_free(m);
}

/* Series in the order they appeared; counters add, gauges are set. */
static void
test_counters(void **state)
{
	static const char *const lbl[] = { "language", "status", NULL };
	struct metrics *m = metrics_new();
	struct metrics_family *j, *g;
	char *t;

	(void)state;
	j = metrics_add(m, METRICS_COUNTER, "judged_total", "Judged.", lbl, NULL, 0);
	g = metrics_add(m, METRICS_GAUGE, "slots", "Slots.", NULL, NULL, 0);
	metrics_inc(j, (const char *const[]){ "python", "OK" }, 1);
	metrics_inc(j, (const char *const[]){ "c", "WA" }, 1);
	metrics_inc(j, (const char *const[]){ "python", "OK" }, 2);
	metrics_inc(j, (const char *const[]){ "python", NULL }, 1);
	metrics_set(g, NULL, 4);
	metrics_set(g, NULL, 2);
	t = render(m);
	assert_string_equal(t,
	    "# HELP judged_total Judged.\n"
	    "# TYPE judged_total counter\n"
	    "judged_total{language=\"python\",status=\"OK\"} 3\n"
	    "judged_total{language=\"c\",status=\"WA\"} 1\n"
	    "judged_total{language=\"python\",status=\"\"} 1\n"
	    "# HELP slots Slots.\n"
	    "# TYPE slots gauge\n"
	    "slots 2\n");
	free(t);
	metrics_free(m);
}

struct escape_case {
	const char	*value;
	const char	*rendered;	/* the sample line */
};

static const struct escape_case escape_cases[] = {
	{ "plain", "x{l=\"plain\"} 1\n" },
	{ "a\"b", "x{l=\"a\\\"b\"} 1\n" },
	{ "back\\slash", "x{l=\"back\\\\slash\"} 1\n" },
	{ "two\nlines", "x{l=\"two\\nlines\"} 1\n" },
	{ "\\\"\n", "x{l=\"\\\\\\\"\\n\"} 1\n" },
	{ "tab\there", "x{l=\"tab\there\"} 1\n" },		/* only \\ \" \n are escaped */
	{ "caf\xc3\xa9", "x{l=\"caf\xc3\xa9\"} 1\n" },		/* UTF-8 as it is */
	{ "", "x{l=\"\"} 1\n" },
};

static void
test_escape(void **state)
{
	const struct escape_case *c = *state;
	static const char *const lbl[] = { "l", NULL };
	struct metrics *m = metrics_new();
	struct metrics_family *f;
	char *t, *want;

	f = metrics_add(m, METRICS_COUNTER, "x", "Help with \\ and\nnewline and \"quotes\".",
	    lbl, NULL, 0);
	metrics_inc(f, (const char *const[]){ c->value }, 1);
	t = render(m);
	/* HELP escapes backslash and newline, not the double quote. */
	want = xasprintf("# HELP x Help with \\\\ and\\nnewline and \"quotes\".\n"
	    "# TYPE x counter\n%s", c->rendered);
	assert_string_equal(t, want);
	free(want);
	free(t);
	metrics_free(m);
}

/* Buckets are cumulative and inclusive (le); _sum and _count follow. */
static void
test_histogram(void **state)
{
	static const double bounds[] = { 0.5, 1, 2.5 };
	static const char *const lbl[] = { "kind", NULL };
	static const double obs[] = { 0.1, 0.5, 0.75, 1, 3, 100 };
	struct metrics *m = metrics_new();
	struct metrics_family *h, *l;
	char *t;
	size_t i;

	(void)state;
	h = metrics_add(m, METRICS_HISTOGRAM, "lat_seconds", "Latency.", NULL, bounds, 3);
	l = metrics_add(m, METRICS_HISTOGRAM, "by_kind_seconds", "By kind.", lbl, bounds, 1);
	for (i = 0; i < sizeof obs / sizeof obs[0]; i++)
		metrics_observe(h, NULL, obs[i]);
	metrics_observe(l, (const char *const[]){ "a\"" }, 0.25);
	metrics_observe(l, (const char *const[]){ "a\"" }, 7);
	t = render(m);
	assert_string_equal(t,
	    "# HELP lat_seconds Latency.\n"
	    "# TYPE lat_seconds histogram\n"
	    "lat_seconds_bucket{le=\"0.5\"} 2\n"
	    "lat_seconds_bucket{le=\"1\"} 4\n"
	    "lat_seconds_bucket{le=\"2.5\"} 4\n"
	    "lat_seconds_bucket{le=\"+Inf\"} 6\n"
	    "lat_seconds_sum 105.35\n"
	    "lat_seconds_count 6\n"
	    "# HELP by_kind_seconds By kind.\n"
	    "# TYPE by_kind_seconds histogram\n"
	    "by_kind_seconds_bucket{kind=\"a\\\"\",le=\"0.5\"} 1\n"
	    "by_kind_seconds_bucket{kind=\"a\\\"\",le=\"+Inf\"} 2\n"
	    "by_kind_seconds_sum{kind=\"a\\\"\"} 7.25\n"
	    "by_kind_seconds_count{kind=\"a\\\"\"} 2\n");
	free(t);
	metrics_free(m);
}

/* A flood of label values ends in one overflow series, not unbounded memory. */
static void
test_overflow(void **state)
{
	static const char *const lbl[] = { "language", NULL };
	struct metrics *m = metrics_new();
	struct metrics_family *f, *g;
	char name[32], *t, *p;
	size_t lines = 0;
	int i;

	(void)state;
	f = metrics_add(m, METRICS_COUNTER, "j_total", "J.", lbl, NULL, 0);
	for (i = 0; i < METRICS_MAX_SERIES + 100; i++) {
		snprintf(name, sizeof name, "l%d", i);
		metrics_inc(f, (const char *const[]){ name }, 1);
	}
	t = render(m);
	for (p = t; (p = strstr(p, "\nj_total{")) != NULL; p++)
		lines++;
	assert_int_equal(lines, METRICS_MAX_SERIES);
	assert_non_null(strstr(t, "j_total{language=\"_overflow\"} 101\n"));
	assert_non_null(strstr(t, "j_total{language=\"l0\"} 1\n"));
	free(t);
	/* metrics_reset drops every series; the family stays. */
	g = metrics_add(m, METRICS_GAUGE, "lag", "Lag.", lbl, NULL, 0);
	metrics_set(g, (const char *const[]){ "p0" }, 3);
	metrics_reset(g);
	metrics_reset(f);
	metrics_set(g, (const char *const[]){ "p1" }, 5);
	t = render(m);
	assert_string_equal(t, "# HELP j_total J.\n# TYPE j_total counter\n"
	    "# HELP lag Lag.\n# TYPE lag gauge\nlag{language=\"p1\"} 5\n");
	free(t);
	metrics_free(m);
	metrics_free(NULL);
}

struct listen_case {
	const char	*in;
	int		 rc;
	const char	*host;
	unsigned	 port;
};

static const struct listen_case listen_cases[] = {
	{ "127.0.0.1:9464", 0, "127.0.0.1", 9464 },
	{ ":9464", 0, "", 9464 },
	{ "0.0.0.0:0", 0, "0.0.0.0", 0 },
	{ "[::1]:8080", 0, "::1", 8080 },
	{ "[::]:65535", 0, "::", 65535 },
	{ "127.0.0.1:65536", -1, NULL, 0 },
	{ "127.0.0.1:", -1, NULL, 0 },
	{ "127.0.0.1:-1", -1, NULL, 0 },
	{ "127.0.0.1:+1", -1, NULL, 0 },
	{ "127.0.0.1:80x", -1, NULL, 0 },
	{ "127.0.0.1", -1, NULL, 0 },
	{ "::1:80", -1, NULL, 0 },
	{ "[::1]80", -1, NULL, 0 },
	{ "", -1, NULL, 0 },
};

static void
test_listen(void **state)
{
	const struct listen_case *c = *state;
	char host[64], err[256];
	unsigned port = 12345;

	err[0] = '\0';
	assert_int_equal(httpd_parse_listen(c->in, host, sizeof host, &port, err, sizeof err),
	    c->rc);
	if (c->rc == 0) {
		assert_string_equal(host, c->host);
		assert_int_equal(port, c->port);
	} else
		assert_true(err[0] != '\0');
}

struct label_case {
	const char	*in;
	const char	*out;
};

static const struct label_case label_cases[] = {
	{ "python", "python" },
	{ "c++17", "c++17" },
	{ "pypy3.10", "pypy3.10" },
	{ "x_y-z", "x_y-z" },
	{ "", "invalid" },
	{ NULL, "invalid" },
	{ "py thon", "invalid" },
	{ "a\"b", "invalid" },
	{ "caf\xc3\xa9", "invalid" },
	{ "abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345" },
	{ "abcdefghijklmnopqrstuvwxyz0123456", "invalid" },	/* 33 characters */
};

static void
test_label(void **state)
{
	const struct label_case *c = *state;
	char out[64];

	monitor_language_label(c->in, out, sizeof out);
	assert_string_equal(out, c->out);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof value_cases / sizeof value_cases[0]; i++)
		add(xasprintf("value %s", value_cases[i].text), test_value, &value_cases[i]);
	for (i = 0; i < sizeof escape_cases / sizeof escape_cases[0]; i++)
		add(xasprintf("escape %zu", i), test_escape, &escape_cases[i]);
	for (i = 0; i < sizeof listen_cases / sizeof listen_cases[0]; i++)
		add(xasprintf("listen \"%s\"", listen_cases[i].in), test_listen, &listen_cases[i]);
	for (i = 0; i < sizeof label_cases / sizeof label_cases[0]; i++)
		add(xasprintf("language label %zu", i), test_label, &label_cases[i]);
	add("empty families", test_empty, NULL);
	add("counters and gauges", test_counters, NULL);
	add("histograms", test_histogram, NULL);
	add("series cap and reset", test_overflow, NULL);
	return _cmocka_run_group_tests("metrics", all, nall, NULL, NULL);
}
