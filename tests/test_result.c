/*
 * test_result.c - statuses, aggregation of tests into the compat top-level
 * fields, the keys of an encoded record, and output cutting: whatever the
 * outputs hold, the record is valid JSON and UTF-8, within max_bytes, and
 * every cut is flagged. One cmocka test per table row.
 */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "result.h"
#include "util.h"

#include "rows.h"

/* ---- statuses ------------------------------------------------------------- */

static void
test_status_names(void **state)
{
	static const struct {
		enum result_status	 st;
		const char		*name;
	} rows[] = {
		{ RESULT_OK, "OK" }, { RESULT_WA, "WA" }, { RESULT_TL, "TL" },
		{ RESULT_ML, "ML" }, { RESULT_BF, "BF" }, { RESULT_NOT_RUN, "-" },
		{ RESULT_RE, "RE" }, { RESULT_OL, "OL" }, { RESULT_IE, "IE" },
	};
	static const char *const unknown[] = { "", "ok", "X", "OK ", "--", "NOT_RUN" };
	enum result_status st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_string_equal(result_status_name(rows[i].st), rows[i].name);
		assert_int_equal(result_status_parse(rows[i].name, &st), 0);
		assert_int_equal(st, rows[i].st);
	}
	for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		assert_int_equal(result_status_parse(unknown[i], &st), -1);
}

/* ---- aggregation ---------------------------------------------------------- */

struct agg_test {
	enum result_status	 st;
	int			 exit_code;
	const char		*out;
	int64_t			 dur, cpu, mem;
	int			 truncated;
};

struct agg_case {
	const char		*name;
	size_t			 n;
	struct agg_test		 t[4];
	enum result_status	 status;
	int			 exit_code;
	const char		*out;		/* also checked as stderr "e:" + out */
	int64_t			 dur, cpu, mem;
	int			 truncated;
};

static const struct agg_case agg_cases[] = {
	{ "all OK", 2, { { RESULT_OK, 0, "a", 10, 1, 100, 0 },
	    { RESULT_OK, 0, "b", 20, 3, 50, 0 } },
	    RESULT_OK, 0, "b", 30, 3, 100, 0 },
	{ "first failure stops", 4, { { RESULT_OK, 0, "a", 1, 1, 1, 0 },
	    { RESULT_WA, 0, "wrong", 2, 2, 2, 0 }, { RESULT_NOT_RUN, 0, "", 0, 0, 0, 0 },
	    { RESULT_NOT_RUN, 0, "", 0, 0, 0, 0 } },
	    RESULT_WA, 0, "wrong", 3, 2, 2, 0 },
	{ "run all: first non-OK wins, last run gives output", 3, {
	    { RESULT_TL, 137, "slow", 2000, 1000, 5, 0 }, { RESULT_OK, 0, "fine", 5, 1, 9, 0 },
	    { RESULT_RE, 1, "crash", 7, 2, 3, 1 } },
	    RESULT_TL, 1, "crash", 2012, 1000, 9, 1 },
	{ "runtime error", 1, { { RESULT_RE, 139, "", 4, 4, 4, 0 } },
	    RESULT_RE, 139, "", 4, 4, 4, 0 },
	{ "OK after OK after ML", 3, { { RESULT_ML, 137, "m", 1, 1, 999, 0 },
	    { RESULT_OK, 0, "x", 1, 1, 1, 0 }, { RESULT_OK, 0, "y", 1, 1, 1, 0 } },
	    RESULT_ML, 0, "y", 3, 1, 999, 0 },
	{ "nothing ran", 2, { { RESULT_NOT_RUN, 0, "", 0, 0, 0, 0 },
	    { RESULT_NOT_RUN, 0, "", 0, 0, 0, 0 } },
	    RESULT_NOT_RUN, 0, "", 0, 0, 0, 0 },
};

static void
test_aggregate(void **state)
{
	const struct agg_case *c = *state;
	struct result r;
	size_t i;
	char *want_err;

	result_init(&r, "sub");
	/* Stale top-level values must be replaced, not appended to. */
	buf_puts(&r.out, "stale");
	buf_puts(&r.err, "stale");
	r.exit_code = 42;
	r.duration_ms = 99999;
	for (i = 0; i < c->n; i++) {
		struct result_test *t = result_add_test(&r, (int)i + 1);

		t->status = c->t[i].st;
		t->exit_code = c->t[i].exit_code;
		buf_puts(&t->out, c->t[i].out);
		buf_printf(&t->err, "e:%s", c->t[i].out);
		t->duration_ms = c->t[i].dur;
		t->cpu_time_ms = c->t[i].cpu;
		t->memory_bytes = c->t[i].mem;
		t->truncated = c->t[i].truncated;
	}
	result_aggregate(&r);
	assert_int_equal(r.status, c->status);
	assert_int_equal(r.exit_code, c->exit_code);
	assert_int_equal(r.out.len, strlen(c->out));
	assert_memory_equal(r.out.data, c->out, r.out.len);
	want_err = xasprintf("e:%s", c->out);
	if (c->status == RESULT_NOT_RUN)
		want_err[0] = '\0';
	assert_int_equal(r.err.len, strlen(want_err));
	assert_memory_equal(r.err.data, want_err, r.err.len);
	free(want_err);
	assert_true(r.duration_ms == c->dur);
	assert_true(r.cpu_time_ms == c->cpu);
	assert_true(r.memory_bytes == c->mem);
	assert_int_equal(r.truncated, c->truncated);
	result_free(&r);
	result_free(&r);
}

static void
test_aggregate_no_tests(void **state)
{
	struct result r;

	(void)state;
	result_init(&r, "x");
	r.status = RESULT_BF;
	r.exit_code = 1;
	buf_puts(&r.err, "error: expected ';'");
	result_aggregate(&r);
	assert_int_equal(r.status, RESULT_BF);
	assert_int_equal(r.exit_code, 1);
	assert_string_equal(r.err.data, "error: expected ';'");
	result_free(&r);
}

static void
test_add_many(void **state)
{
	struct result r;
	int i;

	(void)state;
	result_init(&r, NULL);
	assert_string_equal(r.id, "");
	for (i = 0; i < 5000; i++) {
		struct result_test *t = result_add_test(&r, i + 1);

		assert_int_equal(t->status, RESULT_NOT_RUN);	/* until judged */
		assert_null(t->error);
		buf_printf(&t->out, "%d", i);
	}
	assert_int_equal(r.ntests, 5000);
	for (i = 0; i < 5000; i++)
		assert_int_equal(r.tests[i].number, i + 1);
	assert_string_equal(r.tests[4999].out.data, "4999");
	result_set_error(&r, "first %d", 1);
	result_set_error(&r, "second %s", "x");
	assert_string_equal(r.error, "second x");
	result_free(&r);
}

/* ---- encoding: keys --------------------------------------------------------- */

static struct json_doc *
parse_record(const char *s, size_t len)
{
	struct json_doc *doc;
	char err[256];

	if (json_parse(s, len, &doc, err, sizeof err) != 0)
		fail_msg("record is not valid JSON: %s", err);
	return doc;
}

static char *
get_str(const struct json_doc *doc, int obj, const char *key, size_t *len)
{
	char *s;
	int v = json_object_get(doc, obj, key);

	if (v < 0 || json_get_string(doc, v, &s, len) != 0)
		fail_msg("\"%s\" missing or not a string", key);
	return s;
}

static int64_t
get_int(const struct json_doc *doc, int obj, const char *key)
{
	int64_t n;
	int v = json_object_get(doc, obj, key);

	if (v < 0 || json_get_int64(doc, v, &n) != 0)
		fail_msg("\"%s\" missing or not an integer", key);
	return n;
}

static int
get_bool(const struct json_doc *doc, int obj, const char *key, int dflt)
{
	int b, v = json_object_get(doc, obj, key);

	if (v < 0)
		return dflt;
	if (json_get_bool(doc, v, &b) != 0)
		fail_msg("\"%s\" is not a boolean", key);
	return b;
}

struct key_case {
	const char	*key;
	enum json_type	 type;
};

static const struct key_case top_keys[] = {
	{ "id", JSON_STRING }, { "status", JSON_STRING }, { "exit_code", JSON_NUMBER },
	{ "stdout", JSON_STRING }, { "stderr", JSON_STRING }, { "duration_ms", JSON_NUMBER },
	{ "error", JSON_STRING }, { "timestamp", JSON_STRING },
	{ "cpu_time_ms", JSON_NUMBER }, { "memory_bytes", JSON_NUMBER },
	{ "wall_time_limit_ms", JSON_NUMBER }, { "truncated", JSON_BOOL },
	{ "tests", JSON_ARRAY },
};

static const struct key_case per_test_keys[] = {
	{ "number", JSON_NUMBER }, { "status", JSON_STRING }, { "exit_code", JSON_NUMBER },
	{ "duration_ms", JSON_NUMBER }, { "cpu_time_ms", JSON_NUMBER },
	{ "memory_bytes", JSON_NUMBER }, { "stdout", JSON_STRING }, { "stderr", JSON_STRING },
	{ "input", JSON_STRING }, { "expected_output", JSON_STRING }, { "error", JSON_STRING },
};

static void
test_keys(void **state)
{
	struct result r;
	struct result_test *t;
	struct json_doc *doc;
	char *json, *s;
	size_t len, i, sl;
	int tests, t0, t1, with_worker;

	(void)state;
	for (with_worker = 0; with_worker < 2; with_worker++) {
		result_init(&r, "sub-42");
		r.worker = with_worker ? xstrdup("w1") : NULL;
		r.wall_time_limit_ms = 3000;
		t = result_add_test(&r, 1);
		t->status = RESULT_OK;
		buf_puts(&t->out, "5\n");
		t->input = "2 3\n";
		t->input_len = 4;
		t->expected = "5\n";
		t->expected_len = 2;
		t->cpu_time_ms = 1;
		t->memory_bytes = 1466368;
		t->duration_ms = 12;
		t = result_add_test(&r, 2);
		t->status = RESULT_NOT_RUN;
		t->input = "";
		t->truncated = 1;	/* cut at capture time: must show */
		t->error = xstrdup("not run");
		result_aggregate(&r);
		json = result_to_json(&r, 65536, 1000000, &len);
		assert_int_equal(strlen(json), len);
		doc = parse_record(json, len);
		for (i = 0; i < sizeof top_keys / sizeof top_keys[0]; i++) {
			int v = json_object_get(doc, 0, top_keys[i].key);

			if (v < 0 || json_type(doc, v) != top_keys[i].type)
				fail_msg("top-level \"%s\" missing or mistyped", top_keys[i].key);
		}
		assert_int_equal(json_object_get(doc, 0, "worker") >= 0, with_worker);
		s = get_str(doc, 0, "id", &sl);
		assert_string_equal(s, "sub-42");
		free(s);
		s = get_str(doc, 0, "status", &sl);
		assert_string_equal(s, "-");	/* first non-OK, as the protocol says */
		free(s);
		s = get_str(doc, 0, "timestamp", &sl);
		assert_int_equal(sl, 24);
		assert_true(s[4] == '-' && s[10] == 'T' && s[19] == '.' && s[23] == 'Z');
		free(s);
		assert_int_equal(get_int(doc, 0, "wall_time_limit_ms"), 3000);
		assert_int_equal(get_int(doc, 0, "duration_ms"), 12);
		assert_int_equal(get_bool(doc, 0, "truncated", -1), 1);
		tests = json_object_get(doc, 0, "tests");
		assert_int_equal(json_size(doc, tests), 2);
		t0 = json_first(doc, tests);
		t1 = json_next(doc, t0);
		for (i = 0; i < sizeof per_test_keys / sizeof per_test_keys[0]; i++) {
			int v0 = json_object_get(doc, t0, per_test_keys[i].key);
			int v1 = json_object_get(doc, t1, per_test_keys[i].key);

			if (v0 < 0 || json_type(doc, v0) != per_test_keys[i].type ||
			    v1 < 0 || json_type(doc, v1) != per_test_keys[i].type)
				fail_msg("test \"%s\" missing or mistyped", per_test_keys[i].key);
		}
		assert_int_equal(get_int(doc, t0, "memory_bytes"), 1466368);
		s = get_str(doc, t0, "expected_output", &sl);
		assert_string_equal(s, "5\n");
		free(s);
		s = get_str(doc, t1, "expected_output", &sl);	/* NULL -> "" */
		assert_string_equal(s, "");
		free(s);
		s = get_str(doc, t1, "error", &sl);
		assert_string_equal(s, "not run");
		free(s);
		/* "truncated" appears in a test only when true. */
		assert_int_equal(json_object_get(doc, t0, "truncated"), -1);
		assert_int_equal(get_bool(doc, t1, "truncated", 0), 1);
		json_free(doc);
		free(json);
		result_free(&r);
	}
}

/* "build" only with a build step; a cache hit says so and reports no cost. */
static void
test_build(void **state)
{
	struct result r;
	struct json_doc *doc;
	char *json;
	size_t len;
	int b, cached;

	(void)state;
	for (cached = -1; cached <= 1; cached++) {
		result_init(&r, "b");
		if (cached >= 0) {
			r.build.ran = 1;
			r.build.cached = cached;
			r.build.duration_ms = 250;
			r.build.cpu_time_ms = 130;
			r.build.memory_bytes = 29945856;
		}
		json = result_to_json(&r, 100, 100000, &len);
		doc = parse_record(json, len);
		b = json_object_get(doc, 0, "build");
		if (cached < 0) {
			assert_int_equal(b, -1);
		} else {
			assert_true(b >= 0);
			assert_int_equal(get_bool(doc, b, "cached", -1), cached);
			assert_int_equal(get_int(doc, b, "duration_ms"), cached ? 0 : 250);
			assert_int_equal(get_int(doc, b, "cpu_time_ms"), cached ? 0 : 130);
			assert_int_equal(get_int(doc, b, "memory_bytes"), cached ? 0 : 29945856);
		}
		json_free(doc);
		free(json);
		result_free(&r);
	}
}

/* The key order PROTOCOL.md shows, for humans reading records. */
static void
test_key_order(void **state)
{
	static const char *const order[] = {
		"\"id\":", "\"status\":", "\"exit_code\":", "\"stdout\":", "\"stderr\":",
		"\"duration_ms\":", "\"error\":", "\"timestamp\":", "\"cpu_time_ms\":",
		"\"memory_bytes\":", "\"wall_time_limit_ms\":", "\"truncated\":",
		"\"worker\":", "\"tests\":",
	};
	struct result r;
	char *json, *p;
	size_t len, i;

	(void)state;
	result_init(&r, "x");
	r.worker = xstrdup("w");
	json = result_to_json(&r, 100, 100000, &len);
	for (i = 0, p = json; i < sizeof order / sizeof order[0]; i++) {
		char *q = strstr(p, order[i]);

		if (q == NULL)
			fail_msg("%s missing or out of order in %s", order[i], json);
		p = q;
	}
	free(json);
	result_free(&r);
}

/* ---- encoding: cutting -------------------------------------------------------- */

enum fill { F_ASCII, F_CTRL, F_UTF8, F_INVALID, F_MIXED };

struct cut_case {
	const char	*name;
	size_t		 ntests;
	size_t		 out_len, err_len;	/* per test, or top-level when ntests == 0 */
	size_t		 in_len, exp_len;	/* echoes, per test */
	enum fill	 fill;
	size_t		 field_cap, max_bytes;
	size_t		 error_len;		/* top-level error and id of this length */
	int		 truncated;		/* expected top-level flag */
	int		 dropped;		/* tests expected to be dropped */
	double		 min_fill;		/* record >= this share of max_bytes */
};

static const struct cut_case cut_cases[] = {
	{ "small: nothing cut", 3, 100, 10, 5, 5, F_ASCII, 65536, 1000000, 0, 0, 0, 0 },
	{ "10 MiB stdout, no tests", 0, 10u << 20, 0, 0, 0, F_ASCII, 65536, 1000000, 0,
	    1, 0, 0 },
	{ "10 MiB of control bytes", 0, 10u << 20, 10u << 20, 0, 0, F_CTRL, 65536, 1000000,
	    0, 1, 0, 0 },
	{ "exactly field_cap: not cut", 2, 65536, 65536, 0, 0, F_ASCII, 65536, 1000000, 0,
	    0, 0, 0 },
	{ "field_cap + 1", 1, 65537, 0, 0, 0, F_ASCII, 65536, 1000000, 0, 1, 0, 0 },
	{ "1000 tests x 64 KiB", 1000, 65536, 0, 0, 0, F_ASCII, 65536, 1000000, 0,
	    1, 0, 0.95 },
	{ "1000 tests x 64 KiB out, err, echoes", 1000, 65536, 65536, 65536, 65536,
	    F_ASCII, 65536, 1000000, 0, 1, 0, 0.95 },
	{ "100 tests of control bytes", 100, 65536, 65536, 1000, 1000, F_CTRL, 65536,
	    1000000, 0, 1, 0, 0.9 },
	{ "50 tests of invalid UTF-8", 50, 65536, 65536, 0, 0, F_INVALID, 65536, 1000000, 0,
	    1, 0, 0.9 },
	{ "UTF-8 cut on sequence boundaries", 30, 65536, 3, 0, 0, F_UTF8, 65536, 200001, 0,
	    1, 0, 0.9 },
	{ "mixed bytes", 64, 40000, 40000, 40000, 0, F_MIXED, 30000, 500000, 0, 1, 0, 0.9 },
	{ "2 MiB input echo", 1, 10, 0, 2u << 20, 0, F_ASCII, 65536, 1000000, 0, 1, 0, 0.95 },
	{ "100k tests: some dropped", 100000, 0, 0, 0, 0, F_ASCII, 65536, 1000000, 0, 1,
	    -1, 0.9 },
	{ "16 KiB record, many tests, long error and id", 1000, 65536, 65536, 65536, 0,
	    F_CTRL, 65536, RESULT_MIN_RECORD, 100000, 1, -1, 0 },
	{ "16 KiB record, no tests, long error and id", 0, 65536, 65536, 0, 0, F_CTRL, 65536,
	    RESULT_MIN_RECORD, 100000, 1, 0, 0 },
	{ "64 KiB record, 3 tests", 3, 65536, 65536, 65536, 65536, F_ASCII, 65536, 65536,
	    0, 1, 0, 0.95 },
	{ "field_cap 0", 5, 10, 10, 0, 0, F_ASCII, 0, 1000000, 0, 1, 0, 0 },
};

static void
fill(char *p, size_t n, enum fill f, size_t salt)
{
	static const char utf8[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	size_t i;

	for (i = 0; i < n; i++) {
		switch (f) {
		case F_ASCII:
			p[i] = (char)('a' + (i + salt) % 26);
			break;
		case F_CTRL:
			p[i] = (char)((i + salt) % 32 == 10 ? 1 : (i + salt) % 32);
			break;
		case F_UTF8:
			p[i] = utf8[i % (sizeof utf8 - 1)];	/* stays valid */
			break;
		case F_INVALID:
			p[i] = (char)0xff;
			break;
		case F_MIXED:
			p[i] = (char)((i * 7919 + salt * 31) % 256);
			break;
		}
	}
}

static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t need, k;
		unsigned long cp;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0)
			need = 1, cp = s[i] & 0x1F;
		else if ((s[i] & 0xF0) == 0xE0)
			need = 2, cp = s[i] & 0x0F;
		else if ((s[i] & 0xF8) == 0xF0)
			need = 3, cp = s[i] & 0x07;
		else
			return 0;
		for (k = 1; k <= need; k++) {
			if (i + k >= n || (s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

/*
 * Checks one output or echo field: a prefix of the original (for valid
 * UTF-8 input), not longer than cap. Returns 1 when it was cut.
 */
static int
check_field(const struct json_doc *doc, int obj, const char *key, const char *orig,
    size_t orig_len, size_t cap, enum fill f)
{
	size_t len;
	char *s = get_str(doc, obj, key, &len);
	int cut;

	assert_true(valid_utf8((unsigned char *)s, len));
	assert_true(len <= cap);	/* as written, whatever the bytes */
	if (f == F_ASCII || f == F_UTF8 || f == F_CTRL) {
		assert_true(len <= orig_len);
		assert_memory_equal(s, orig, len);
		if (f == F_UTF8 && len < orig_len)	/* cut before a lead byte */
			assert_true(((unsigned char)orig[len] & 0xC0) != 0x80);
		cut = len < orig_len;
	} else {
		/* Replacements change lengths; only "nothing there" is certain. */
		cut = orig_len > cap || (len == 0 && orig_len > 0);
		if (orig_len == 0)
			assert_int_equal(len, 0);
	}
	free(s);
	return cut;
}

static void
test_cut(void **state)
{
	const struct cut_case *c = *state;
	struct result r;
	struct json_doc *doc;
	char *json, *in = NULL, *exp = NULL, *big = NULL;
	size_t len, i, shown, t_count;
	int tests, t, any_cut = 0;
	int64_t t0;

	if (c->error_len > 0) {
		big = xmalloc(c->error_len + 1);
		fill(big, c->error_len, c->fill == F_CTRL ? F_MIXED : c->fill, 1);
		for (i = 0; i < c->error_len; i++)
			if (big[i] == '\0')
				big[i] = '\x01';
		big[c->error_len] = '\0';
	}
	result_init(&r, big != NULL ? big : "sub-1");
	if (big != NULL) {
		r.error = xstrdup(big);
		r.worker = xstrdup(big);
	}
	r.status = RESULT_WA;
	if (c->in_len > 0) {
		in = xmalloc(c->in_len);
		fill(in, c->in_len, c->fill, 3);
	}
	if (c->exp_len > 0) {
		exp = xmalloc(c->exp_len);
		fill(exp, c->exp_len, c->fill, 4);
	}
	if (c->ntests == 0) {
		char *p = xmalloc(c->out_len + c->err_len + 1);

		fill(p, c->out_len, c->fill, 0);
		fill(p + c->out_len, c->err_len, c->fill, 1);
		buf_append(&r.out, p, c->out_len);
		buf_append(&r.err, p + c->out_len, c->err_len);
		free(p);
	}
	for (i = 0; i < c->ntests; i++) {
		struct result_test *rt = result_add_test(&r, (int)i + 1);
		char *p = xmalloc(c->out_len + c->err_len + 1);

		fill(p, c->out_len, c->fill, i);
		fill(p + c->out_len, c->err_len, c->fill, i + 1);
		buf_append(&rt->out, p, c->out_len);
		buf_append(&rt->err, p + c->out_len, c->err_len);
		free(p);
		rt->status = RESULT_OK;
		rt->input = in != NULL ? in : "";
		rt->input_len = c->in_len;
		rt->expected = exp;
		rt->expected_len = c->exp_len;
		if (big != NULL)
			rt->error = xstrdup(big);
	}
	if (c->ntests > 0)
		result_aggregate(&r);
	if (c->max_bytes <= RESULT_MIN_RECORD) {
		/* The longest numbers too. */
		r.exit_code = INT_MIN;
		r.duration_ms = r.cpu_time_ms = r.memory_bytes = INT64_MIN;
		r.wall_time_limit_ms = INT64_MIN;
	}

	t0 = util_now_ms();
	json = result_to_json(&r, c->field_cap, c->max_bytes, &len);
	print_message("%s: %zu bytes of %zu in %lld ms\n", c->name, len, c->max_bytes,
	    (long long)(util_now_ms() - t0));
	assert_int_equal(strlen(json), len);
	assert_true(len <= c->max_bytes);
	assert_true((double)len >= c->min_fill * (double)c->max_bytes);
	assert_true(valid_utf8((unsigned char *)json, len));
	doc = parse_record(json, len);

	any_cut |= check_field(doc, 0, "stdout", r.out.data, r.out.len, c->field_cap, c->fill);
	any_cut |= check_field(doc, 0, "stderr", r.err.data, r.err.len, c->field_cap, c->fill);
	tests = json_object_get(doc, 0, "tests");
	assert_true(tests > 0);
	shown = json_size(doc, tests);
	if (c->dropped == 0) {
		assert_int_equal(shown, c->ntests);
	} else {
		char *e = get_str(doc, 0, "error", &t_count);

		assert_true(shown < c->ntests);
		assert_non_null(strstr(e, "record too large: only the first"));
		free(e);
	}
	for (i = 0, t = json_first(doc, tests); i < shown; i++, t = json_next(doc, t)) {
		const struct result_test *rt = &r.tests[i];
		int cut = 0;

		assert_int_equal(get_int(doc, t, "number"), (int64_t)i + 1);
		cut |= check_field(doc, t, "stdout", rt->out.data, rt->out.len, c->field_cap,
		    c->fill);
		cut |= check_field(doc, t, "stderr", rt->err.data, rt->err.len, c->field_cap,
		    c->fill);
		cut |= check_field(doc, t, "input", rt->input, rt->input_len, SIZE_MAX, c->fill);
		cut |= check_field(doc, t, "expected_output", rt->expected, rt->expected_len,
		    SIZE_MAX, c->fill);
		/* A cut test says so; an intact one does not. */
		if (cut)
			assert_int_equal(get_bool(doc, t, "truncated", 0), 1);
		if (c->fill == F_ASCII || c->fill == F_UTF8 || c->fill == F_CTRL)
			assert_int_equal(get_bool(doc, t, "truncated", 0), cut);
		any_cut |= cut;
	}
	assert_int_equal(get_bool(doc, 0, "truncated", -1), c->truncated);
	if (any_cut)
		assert_int_equal(c->truncated, 1);

	json_free(doc);
	free(json);
	result_free(&r);
	free(in);
	free(exp);
	free(big);
}

/*
 * Caps smaller than the first character: what is kept is counted as it is
 * written (a cut or invalid sequence would be the 3 bytes of U+FFFD), so it
 * never passes the cap. Checked on the top-level and a test's outputs.
 */
struct first_char_case {
	const char	*name;
	const char	*text;
	size_t		 len;
	size_t		 field_cap;
	const char	*want;		/* the field as read back */
	size_t		 want_len;
	int		 cut;
};

#define B(s)	s, sizeof(s) - 1

static const struct first_char_case first_char_cases[] = {
	{ "cap 1, 2-byte character", B("\xc3\xa9"), 1, B(""), 1 },
	{ "cap 2, 3-byte character", B("\xe2\x82\xac"), 2, B(""), 1 },
	{ "cap 3, 4-byte character", B("\xf0\x9f\x98\x80"), 3, B(""), 1 },
	{ "cap 1, 4-byte character", B("\xf0\x9f\x98\x80"), 1, B(""), 1 },
	{ "cap 4, 4-byte character: whole", B("\xf0\x9f\x98\x80"), 4, B("\xf0\x9f\x98\x80"),
	    0 },
	{ "cap 2, ASCII then 2-byte character", B("a\xc3\xa9"), 2, B("a"), 1 },
	{ "cap 2, invalid byte", B("\xff"), 2, B(""), 1 },
	{ "cap 3, invalid byte: U+FFFD", B("\xff"), 3, B("\xef\xbf\xbd"), 0 },
	{ "cap 4, two invalid bytes", B("\xff\xfe"), 4, B("\xef\xbf\xbd"), 1 },
	{ "cap 2, truncated sequence", B("\xe2\x82"), 2, B(""), 1 },
	{ "cap 0, 2-byte character", B("\xc3\xa9"), 0, B(""), 1 },
};

static void
test_first_char(void **state)
{
	const struct first_char_case *c = *state;
	static const char *const keys[] = { "stdout", "stderr" };
	struct result r;
	struct result_test *t;
	struct json_doc *doc;
	char *json, *s;
	size_t len, sl, i;
	int tests, t0;

	result_init(&r, "first-char");
	r.status = RESULT_WA;
	buf_append(&r.out, c->text, c->len);
	buf_append(&r.err, c->text, c->len);
	t = result_add_test(&r, 1);
	t->status = RESULT_WA;
	buf_append(&t->out, c->text, c->len);
	buf_append(&t->err, c->text, c->len);
	t->input = "";
	json = result_to_json(&r, c->field_cap, 1000000, &len);
	assert_true(valid_utf8((unsigned char *)json, len));
	doc = parse_record(json, len);
	tests = json_object_get(doc, 0, "tests");
	t0 = json_first(doc, tests);
	for (i = 0; i < 4; i++) {
		s = get_str(doc, i < 2 ? 0 : t0, keys[i % 2], &sl);
		if (sl > c->field_cap)
			fail_msg("%s is %zu bytes as written, over its cap of %zu", keys[i % 2],
			    sl, c->field_cap);
		assert_int_equal(sl, c->want_len);
		assert_memory_equal(s, c->want, sl);
		free(s);
	}
	assert_int_equal(get_bool(doc, 0, "truncated", -1), c->cut);
	assert_int_equal(get_bool(doc, t0, "truncated", 0), c->cut);
	json_free(doc);
	free(json);
	result_free(&r);
}

/*
 * The id is held to 8 KiB escaped bytes (RESULT_ID_BUDGET in result.c). Ids from the record are
 * at most 1 KiB, but a fallback id (the record key) may be any length: when
 * it is cut, "truncated" must say so.
 */
struct id_case {
	const char	*name;
	size_t		 len;
	char		 fill;
	int		 cut;
};

static const struct id_case id_cases[] = {
	{ "id: 1 KiB, whole", 1024, 'k', 0 },
	{ "id: 8 KiB fallback, whole", 8192, 'k', 0 },
	{ "id: 8 KiB + 1 fallback, cut and flagged", 8193, 'k', 1 },
	{ "id: 64 KiB fallback, cut and flagged", 65536, 'k', 1 },
	{ "id: 1 KiB of control bytes, whole", 1024, '\x01', 0 },
	{ "id: 2 KiB of control bytes, cut and flagged", 2048, '\x01', 1 },
};

static void
test_id(void **state)
{
	const struct id_case *c = *state;
	struct result r;
	struct json_doc *doc;
	char *id, *json, *s;
	size_t len, sl;

	id = xmalloc(c->len + 1);
	memset(id, c->fill, c->len);
	id[c->len] = '\0';
	result_init(&r, id);
	r.status = RESULT_IE;
	result_set_error(&r, "record is not valid JSON");
	json = result_to_json(&r, 65536, 1000000, &len);
	doc = parse_record(json, len);
	s = get_str(doc, 0, "id", &sl);
	assert_true(sl <= c->len);
	assert_memory_equal(s, id, sl);
	assert_int_equal(sl < c->len, c->cut);
	assert_int_equal(get_bool(doc, 0, "truncated", -1), c->cut);
	free(s);
	json_free(doc);
	free(json);
	result_free(&r);
	free(id);
}

/*
 * A test is added before it runs; when the judge fails during it the
 * result is IE, and the test must show as not run, never as OK. Judged
 * tests keep their verdicts, and aggregation reads an unjudged test as
 * "-" (not OK).
 */
struct unjudged_case {
	const char		*name;
	size_t			 njudged;
	enum result_status	 judged[3];
	size_t			 nadded;	/* judged, then added but not judged */
	int			 aggregate;
	enum result_status	 top;		/* set when not aggregated */
	const char		*want[4];
	const char		*want_top;
};

static const struct unjudged_case unjudged_cases[] = {
	{ "unjudged: IE during the only test", 0, { RESULT_OK }, 1, 0, RESULT_IE,
	    { "-" }, "IE" },
	{ "unjudged: IE during the second test", 1, { RESULT_OK }, 2, 0, RESULT_IE,
	    { "OK", "-" }, "IE" },
	{ "unjudged: IE during the third, run all", 2, { RESULT_WA, RESULT_OK }, 3, 0,
	    RESULT_IE, { "WA", "OK", "-" }, "IE" },
	{ "unjudged: aggregated, not OK", 1, { RESULT_OK }, 2, 1, RESULT_OK,
	    { "OK", "-" }, "-" },
	{ "unjudged: all judged OK stays OK", 2, { RESULT_OK, RESULT_OK }, 2, 1, RESULT_OK,
	    { "OK", "OK" }, "OK" },
};

static void
test_unjudged(void **state)
{
	const struct unjudged_case *c = *state;
	struct result r;
	struct json_doc *doc;
	char *json, *s;
	size_t len, sl, i;
	int tests, t;

	result_init(&r, "unjudged");
	for (i = 0; i < c->nadded; i++) {
		struct result_test *rt = result_add_test(&r, (int)i + 1);

		rt->input = "1\n";
		rt->input_len = 2;
		if (i < c->njudged)
			rt->status = c->judged[i];
	}
	if (c->aggregate) {
		result_aggregate(&r);
	} else {
		r.status = c->top;
		result_set_error(&r, "test %zu: box died", c->nadded);
	}
	json = result_to_json(&r, 65536, 1000000, &len);
	doc = parse_record(json, len);
	s = get_str(doc, 0, "status", &sl);
	assert_string_equal(s, c->want_top);
	free(s);
	tests = json_object_get(doc, 0, "tests");
	assert_int_equal(json_size(doc, tests), c->nadded);
	for (i = 0, t = json_first(doc, tests); i < c->nadded; i++, t = json_next(doc, t)) {
		s = get_str(doc, t, "status", &sl);
		if (i >= c->njudged && strcmp(s, "OK") == 0)
			fail_msg("test %zu was never judged but shows OK", i + 1);
		assert_string_equal(s, c->want[i]);
		free(s);
	}
	json_free(doc);
	free(json);
	result_free(&r);
}

/* The same result encodes to the same bytes (timestamp aside). */
static void
test_deterministic(void **state)
{
	struct result r;
	char *a, *b;
	size_t la, lb, i;

	(void)state;
	result_init(&r, "d");
	for (i = 0; i < 300; i++) {
		struct result_test *t = result_add_test(&r, (int)i);

		buf_printf(&t->out, "%0*zu", (int)(1000 + i * 37 % 5000), i);
	}
	a = result_to_json(&r, 65536, 300000, &la);
	b = result_to_json(&r, 65536, 300000, &lb);
	assert_int_equal(la, lb);
	/* The timestamp sits at the same offset; blank it in both. */
	{
		char *ta = strstr(a, "\"timestamp\":\""), *tb = strstr(b, "\"timestamp\":\"");

		assert_non_null(ta);
		assert_int_equal(ta - a, tb - b);
		memset(ta, 'x', 38);
		memset(tb, 'x', 38);
	}
	assert_memory_equal(a, b, la);
	free(a);
	free(b);
	result_free(&r);
}

/*
 * A scored record: scores, groups, checker fields and reasons are written,
 * and 200 checker messages of 4 KiB are cut like any big field so that the
 * record still fits a small producer limit.
 */
static void
test_scored(void **state)
{
	struct result r;
	struct result_test *t;
	struct json_doc *doc;
	char *json, *s, msg[4097];
	size_t len, sl, i;
	int tests, t0, groups, g0, v;

	(void)state;
	result_init(&r, "scored");
	memset(msg, 'm', 4096);
	msg[4096] = '\0';
	for (i = 0; i < 200; i++) {
		t = result_add_test(&r, (int)i + 1);
		t->status = i == 0 ? RESULT_WA : RESULT_OK;
		t->scored = 1;
		t->score = i == 0 ? 0.25 : 1;
		t->checker_status = i == 0 ? "PARTIAL" : "OK";
		buf_init(&t->checker_msg);
		buf_puts(&t->checker_msg, msg);
		if (i == 0)
			t->reason = xstrdup("checker: partial score");
		t->input = "";
	}
	result_aggregate(&r);
	r.scored = 1;
	r.score = 57.5;
	r.max_score = 100;
	r.ngroups = 1;
	r.groups = xcalloc(1, sizeof *r.groups);
	r.groups[0].name = xstrdup("g1");
	r.groups[0].points = 100;
	r.groups[0].score = 57.5;
	r.groups[0].status = RESULT_WA;
	json = result_to_json(&r, 65536, RESULT_MIN_RECORD * 4, &len);
	assert_true(len <= RESULT_MIN_RECORD * 4);
	doc = parse_record(json, len);
	s = get_str(doc, 0, "reason", &sl);
	assert_string_equal(s, "test 1: checker: partial score");
	free(s);
	v = json_object_get(doc, 0, "truncated");
	assert_true(v >= 0 && json_type(doc, v) == JSON_BOOL);
	groups = json_object_get(doc, 0, "groups");
	assert_true(groups >= 0 && json_size(doc, groups) == 1);
	g0 = json_first(doc, groups);
	s = get_str(doc, g0, "name", &sl);
	assert_string_equal(s, "g1");
	free(s);
	assert_true(json_object_get(doc, 0, "score") >= 0);
	assert_true(json_object_get(doc, 0, "max_score") >= 0);
	tests = json_object_get(doc, 0, "tests");
	assert_int_equal(json_size(doc, tests), 200);
	t0 = json_first(doc, tests);
	s = get_str(doc, t0, "checker_status", &sl);
	assert_string_equal(s, "PARTIAL");
	free(s);
	s = get_str(doc, t0, "checker_message", &sl);
	/* Cut to share the record with 199 others: shorter, and said so. */
	assert_true(sl < 4096);
	free(s);
	assert_true(json_object_get(doc, t0, "truncated") >= 0);
	json_free(doc);
	free(json);
	/* A result without scores has none of those keys. */
	r.scored = 0;
	for (i = 0; i < r.ntests; i++) {
		r.tests[i].scored = 0;
		r.tests[i].checker_status = NULL;
	}
	json = result_to_json(&r, 65536, 1000000, &len);
	doc = parse_record(json, len);
	assert_true(json_object_get(doc, 0, "score") < 0);
	assert_true(json_object_get(doc, 0, "groups") < 0);
	t0 = json_first(doc, json_object_get(doc, 0, "tests"));
	assert_true(json_object_get(doc, t0, "score") < 0);
	assert_true(json_object_get(doc, t0, "checker_message") < 0);
	json_free(doc);
	free(json);
	result_free(&r);
}

int
main(void)
{
	size_t i;

	add("status names", test_status_names, NULL);
	add("scored record", test_scored, NULL);
	add("build figures", test_build, NULL);
	for (i = 0; i < sizeof agg_cases / sizeof agg_cases[0]; i++)
		add(agg_cases[i].name, test_aggregate, &agg_cases[i]);
	add("aggregate without tests", test_aggregate_no_tests, NULL);
	add("5000 tests added", test_add_many, NULL);
	add("record keys", test_keys, NULL);
	add("record key order", test_key_order, NULL);
	for (i = 0; i < sizeof cut_cases / sizeof cut_cases[0]; i++)
		add(cut_cases[i].name, test_cut, &cut_cases[i]);
	for (i = 0; i < sizeof first_char_cases / sizeof first_char_cases[0]; i++)
		add(first_char_cases[i].name, test_first_char, &first_char_cases[i]);
	for (i = 0; i < sizeof id_cases / sizeof id_cases[0]; i++)
		add(id_cases[i].name, test_id, &id_cases[i]);
	for (i = 0; i < sizeof unjudged_cases / sizeof unjudged_cases[0]; i++)
		add(unjudged_cases[i].name, test_unjudged, &unjudged_cases[i]);
	add("deterministic", test_deterministic, NULL);
	return _cmocka_run_group_tests("result", all, nall, NULL, NULL);
}
