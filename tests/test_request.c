/*
 * test_request.c - submission records against PROTOCOL.md: each rejected
 * record with its exact message and the id it is answered under, accepted
 * records with their defaults, and per-test defaults. One test per row.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "request.h"
#include "util.h"

#include "rows.h"

#define OK_FIELDS "\"language\":\"c\",\"source\":\"int main(){}\""

struct bad_case {
	const char	*json;
	const char	*fallback;
	const char	*err;		/* exact message, or a prefix ending in '*' */
	const char	*id;		/* the id it is answered under */
};

static const struct bad_case bad_cases[] = {
	/* not JSON, not an object */
	{ "", "k", "record is not valid JSON: empty document", "k" },
	{ "nope", "k", "record is not valid JSON: *", "k" },
	{ "{\"id\":\"x\",", "k", "record is not valid JSON: *", "k" },
	{ "{\"id\":\"x\",\"source\":\"a\"}}", "k", "record is not valid JSON: *", "k" },
	{ "{\"id\":\"x\" \"language\":\"c\"}", "k", "record is not valid JSON: *", "k" },
	{ "{\"id\":\"\\ud800\"}", "k", "record is not valid JSON: *", "k" },
	{ "[1,2]", "k", "record is not a JSON object", "k" },
	{ "\"script\"", "t:0:5", "record is not a JSON object", "t:0:5" },
	{ "null", NULL, "record is not a JSON object", "" },

	/* type */
	{ "{\"type\":\"foo\"," OK_FIELDS "}", "k", "\"type\" must be \"script\" or \"done\"", "k" },
	{ "{\"type\":\"Done\"}", "k", "\"type\" must be \"script\" or \"done\"", "k" },
	{ "{\"type\":\"\"}", "k", "\"type\" must be \"script\" or \"done\"", "k" },
	{ "{\"type\":1}", "k", "\"type\" must be \"script\" or \"done\"", "k" },
	{ "{\"type\":\"done\\u0000x\"}", "k", "\"type\" must be \"script\" or \"done\"", "k" },
	{ "{\"id\":\"s1\",\"type\":[]}", "k", "\"type\" must be \"script\" or \"done\"", "s1" },

	/* id */
	{ "{\"id\":5," OK_FIELDS "}", "k", "\"id\" must be a string", "k" },
	{ "{\"id\":{\"a\":1}," OK_FIELDS "}", "k", "\"id\" must be a string", "k" },
	{ "{\"id\":\"a\\u0000b\"," OK_FIELDS "}", "k", "\"id\" must not contain NUL bytes", "k" },

	/* language */
	{ "{\"id\":\"s1\",\"source\":\"x\"}", "k", "missing or empty \"language\"", "s1" },
	{ "{\"id\":\"s1\",\"language\":\"\",\"source\":\"x\"}", "k",
	    "missing or empty \"language\"", "s1" },
	{ "{\"id\":\"s1\",\"language\":null,\"source\":\"x\"}", "k",
	    "missing or empty \"language\"", "s1" },
	{ "{\"id\":\"s1\",\"language\":[\"c\"],\"source\":\"x\"}", "k",
	    "\"language\" must be a string", "s1" },
	{ "{\"language\":\"c\\u0000\",\"source\":\"x\"}", "k",
	    "\"language\" must not contain NUL bytes", "k" },

	/* source */
	{ "{\"id\":\"s1\",\"language\":\"c\"}", "k", "missing or empty \"source\"", "s1" },
	{ "{\"id\":\"s1\",\"language\":\"c\",\"source\":\"\"}", "k",
	    "missing or empty \"source\"", "s1" },
	{ "{\"id\":\"s1\",\"language\":\"c\",\"source\":null}", "k",
	    "missing or empty \"source\"", "s1" },
	{ "{\"language\":\"c\",\"source\":42}", "k", "\"source\" must be a string", "k" },

	/* limits */
	{ "{" OK_FIELDS ",\"limits\":[]}", "k", "\"limits\" must be an object", "k" },
	{ "{" OK_FIELDS ",\"limits\":5}", "k", "\"limits\" must be an object", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"time_limit_ms\":-1}}", "k",
	    "\"limits.time_limit_ms\" must be a non-negative integer", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"time_limit_ms\":1.5}}", "k",
	    "\"limits.time_limit_ms\" must be a non-negative integer", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"time_limit_ms\":1e3}}", "k",
	    "\"limits.time_limit_ms\" must be a non-negative integer", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"time_limit_ms\":\"100\"}}", "k",
	    "\"limits.time_limit_ms\" must be a non-negative integer", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"time_limit_ms\":true}}", "k",
	    "\"limits.time_limit_ms\" must be a non-negative integer", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"time_limit_ms\":9223372036854775808}}", "k",
	    "\"limits.time_limit_ms\" must be a non-negative integer", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"memory_limit_bytes\":-67108864}}", "k",
	    "\"limits.memory_limit_bytes\" must be a non-negative integer", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"memory_limit_bytes\":{}}}", "k",
	    "\"limits.memory_limit_bytes\" must be a non-negative integer", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"wall_time_limit_ms\":\"5s\"}}", "k",
	    "\"limits.wall_time_limit_ms\" must be a non-negative integer", "k" },
	{ "{" OK_FIELDS ",\"limits\":{\"wall_time_limit_ms\":-9223372036854775808}}", "k",
	    "\"limits.wall_time_limit_ms\" must be a non-negative integer", "k" },

	/* tests */
	{ "{" OK_FIELDS ",\"tests\":{}}", "k", "\"tests\" must be an array", "k" },
	{ "{" OK_FIELDS ",\"tests\":\"1 2\"}", "k", "\"tests\" must be an array", "k" },
	{ "{" OK_FIELDS ",\"tests\":[1]}", "k", "\"tests[0]\" must be an object", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{},[]]}", "k", "\"tests[1]\" must be an object", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{},{\"number\":\"2\"}]}", "k",
	    "\"tests[1].number\" must be an integer", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{\"number\":1.5}]}", "k",
	    "\"tests[0].number\" must be an integer", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{\"number\":3000000000}]}", "k",
	    "\"tests[0].number\" must be an integer", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{\"input\":5}]}", "k",
	    "\"tests[0].input\" must be a string", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{\"input\":[\"a\"]}]}", "k",
	    "\"tests[0].input\" must be a string", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{},{},{\"expected_output\":5}]}", "k",
	    "\"tests[2].expected_output\" must be a string", "k" },

	/* checker, run_all_tests */
	{ "{" OK_FIELDS ",\"checker\":5}", "k", "\"checker\" must be a string", "k" },
	{ "{" OK_FIELDS ",\"checker\":\"bogus\"}", "k",
	    "invalid \"checker\": unknown checker \"bogus\" (exact, lines, tokens, float:EPS)",
	    "k" },
	{ "{" OK_FIELDS ",\"checker\":\"\"}", "k", "invalid \"checker\": *", "k" },
	{ "{" OK_FIELDS ",\"checker\":\"float:-1\"}", "k", "invalid \"checker\": bad epsilon*",
	    "k" },
	{ "{" OK_FIELDS ",\"run_all_tests\":\"yes\"}", "k",
	    "\"run_all_tests\" must be a boolean", "k" },
	{ "{" OK_FIELDS ",\"run_all_tests\":1}", "k", "\"run_all_tests\" must be a boolean",
	    "k" },

	/* files */
	{ "{" OK_FIELDS ",\"files\":{}}", "k", "\"files\" must be an array", "k" },
	{ "{" OK_FIELDS ",\"files\":[\"a\"]}", "k", "\"files[0]\" must be an object", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"content\":\"x\"}]}", "k",
	    "\"files[0].name\" must be a plain relative path*", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"name\":\"../x\"}]}", "k",
	    "\"files[0].name\" must be a plain relative path*", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"name\":\"a/../../x\"}]}", "k",
	    "\"files[0].name\" must be a plain relative path*", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"name\":\"/etc/x\"}]}", "k",
	    "\"files[0].name\" must be a plain relative path*", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"name\":\"a//b\"}]}", "k",
	    "\"files[0].name\" must be a plain relative path*", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"name\":\"./a\"}]}", "k",
	    "\"files[0].name\" must be a plain relative path*", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"name\":\"a\\u0000b\"}]}", "k",
	    "\"files[0].name\" must be a plain relative path*", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"name\":\"a\\nb\"}]}", "k",
	    "\"files[0].name\" must be a plain relative path*", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"name\":\"a\",\"content\":1}]}", "k",
	    "\"files[0].content\" must be a string", "k" },
	{ "{" OK_FIELDS ",\"files\":[{\"name\":\"a\"},{\"name\":\"a\"}]}", "k",
	    "\"files\": the name \"a\" is given twice", "k" },

	/* program specs */
	{ "{" OK_FIELDS ",\"checker\":{\"source\":\"x\"}}", "k",
	    "\"checker\": missing or empty \"language\"", "k" },
	{ "{" OK_FIELDS ",\"checker\":{\"language\":\"c\"}}", "k",
	    "\"checker\": missing or empty \"source\"", "k" },
	{ "{" OK_FIELDS ",\"checker\":{\"type\":\"exact\",\"language\":\"c\",\"source\":\"x\"}}",
	    "k", "\"checker.type\" must be \"testlib\"", "k" },
	{ "{" OK_FIELDS ",\"checker\":{\"language\":\"c\",\"source\":\"x\",\"files\":"
	    "[{\"name\":\"..\"}]}}", "k", "\"checker.files[0].name\" must be*", "k" },
	{ "{" OK_FIELDS ",\"interactor\":\"x\"}", "k",
	    "\"interactor\" must be an object (a program spec)", "k" },
	{ "{" OK_FIELDS ",\"interactor\":{\"language\":\"c\",\"source\":\"x\"},"
	    "\"interactor_limits\":{\"time_limit_ms\":-1}}", "k",
	    "interactor_limits: \"limits.time_limit_ms\" must be a non-negative integer", "k" },

	/* groups */
	{ "{" OK_FIELDS ",\"groups\":{}}", "k", "\"groups\" must be an array of*", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"points\":1,\"tests\":[1]}]}", "k",
	    "\"groups[0].name\" must be 1 to 16 bytes*", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"name\":\"a b\",\"points\":1,"
	    "\"tests\":[1]}]}", "k", "\"groups[0].name\" must be 1 to 16 bytes*", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"name\":\"a\",\"tests\":[1]}]}", "k",
	    "group \"a\": \"points\" must be a number from 0 to 1e9", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"name\":\"a\",\"points\":-1,"
	    "\"tests\":[1]}]}", "k", "group \"a\": \"points\" must be*", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"name\":\"a\",\"points\":1,"
	    "\"tests\":[2]}]}", "k", "group \"a\": no test numbered 2", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"name\":\"a\",\"points\":1,"
	    "\"tests\":[]}]}", "k", "group \"a\": \"tests\" must be a non-empty*", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"name\":\"a\",\"points\":1,"
	    "\"tests\":[1],\"policy\":\"max\"}]}", "k",
	    "group \"a\": \"policy\" must be \"min\" or \"sum\"", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"name\":\"a\",\"points\":1,"
	    "\"tests\":[1]},{\"name\":\"a\",\"points\":1,\"tests\":[1]}]}", "k",
	    "group \"a\" is given twice", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"name\":\"a\",\"points\":1,"
	    "\"tests\":[1],\"depends\":[\"b\"]}]}", "k",
	    "group \"a\" depends on an unknown group \"b\"", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{}],\"groups\":[{\"name\":\"a\",\"points\":1,"
	    "\"tests\":[1],\"depends\":[\"a\"]}]}", "k",
	    "group \"a\" depends on itself (a cycle of \"depends\")", "k" },
	{ "{" OK_FIELDS ",\"tests\":[{},{}],\"groups\":[{\"name\":\"a\",\"points\":1,"
	    "\"tests\":[1],\"depends\":[\"b\"]},{\"name\":\"b\",\"points\":1,"
	    "\"tests\":[2],\"depends\":[\"a\"]}]}", "k",
	    "group \"a\" depends on itself (a cycle of \"depends\")", "k" },
};

static void
test_bad(void **state)
{
	const struct bad_case *c = *state;
	struct request req;
	char err[512] = "";
	size_t n = strlen(c->err);

	assert_int_equal(request_parse(c->json, strlen(c->json), c->fallback, &req, err,
	    sizeof err), -1);
	if (c->err[n - 1] == '*') {
		assert_true(strlen(err) >= n);
		assert_memory_equal(err, c->err, n - 1);
	} else {
		assert_string_equal(err, c->err);
	}
	assert_non_null(req.id);
	assert_string_equal(req.id, c->id);
	request_free(&req);
	request_free(&req);	/* idempotent */
}

struct good_case {
	const char		*json;
	const char		*fallback;
	enum request_type	 type;
	const char		*id;
	const char		*language;	/* NULL for done */
	const char		*source;
	int64_t			 time_ms, memory, wall_ms;
	size_t			 ntests;
	const char		*checker;	/* NULL: absent */
	int			 run_all;
};

static const struct good_case good_cases[] = {
	{ "{" OK_FIELDS "}", "key-1", REQUEST_SCRIPT, "key-1", "c", "int main(){}",
	    0, 0, 0, 0, NULL, 0 },
	{ "{\"type\":\"script\",\"id\":\"sub-42\",\"language\":\"c\",\"source\":\"s\","
	    "\"limits\":{\"time_limit_ms\":1000,\"memory_limit_bytes\":67108864},"
	    "\"tests\":[{\"number\":1,\"input\":\"2 3\\n\",\"expected_output\":\"5\\n\"}]}",
	    "k", REQUEST_SCRIPT, "sub-42", "c", "s", 1000, 67108864, 0, 1, NULL, 0 },
	{ "{\"type\":\"done\"}", "t:1:7", REQUEST_DONE, "t:1:7", NULL, NULL, 0, 0, 0, 0,
	    NULL, 0 },
	{ "{\"type\":\"done\",\"id\":\"end\"}", "k", REQUEST_DONE, "end", NULL, NULL,
	    0, 0, 0, 0, NULL, 0 },
	/* a bad id must not keep a "done" from ending the stream */
	{ "{\"type\":\"done\",\"id\":7}", "k", REQUEST_DONE, "k", NULL, NULL, 0, 0, 0, 0,
	    NULL, 0 },
	{ "{\"type\":null," OK_FIELDS "}", "k", REQUEST_SCRIPT, "k", "c", "int main(){}",
	    0, 0, 0, 0, NULL, 0 },
	{ "{\"id\":\"\"," OK_FIELDS "}", "k", REQUEST_SCRIPT, "k", "c", "int main(){}",
	    0, 0, 0, 0, NULL, 0 },
	{ "{\"id\":null," OK_FIELDS "}", NULL, REQUEST_SCRIPT, "", "c", "int main(){}",
	    0, 0, 0, 0, NULL, 0 },
	{ "{\"id\":\"\\u00e9t\\u00e9\"," OK_FIELDS "}", "k", REQUEST_SCRIPT, "\xc3\xa9t\xc3\xa9",
	    "c", "int main(){}", 0, 0, 0, 0, NULL, 0 },
	{ "{" OK_FIELDS ",\"limits\":null}", "k", REQUEST_SCRIPT, "k", "c", "int main(){}",
	    0, 0, 0, 0, NULL, 0 },
	{ "{" OK_FIELDS ",\"limits\":{\"time_limit_ms\":null,\"memory_limit_bytes\":0,"
	    "\"wall_time_limit_ms\":9223372036854775807,\"cpus\":\"x\"}}", "k", REQUEST_SCRIPT,
	    "k", "c", "int main(){}", 0, 0, INT64_MAX, 0, NULL, 0 },
	{ "{" OK_FIELDS ",\"tests\":[],\"checker\":\"float:1e-3\",\"run_all_tests\":true}",
	    "k", REQUEST_SCRIPT, "k", "c", "int main(){}", 0, 0, 0, 0, "float:1e-3", 1 },
	{ "{" OK_FIELDS ",\"tests\":null,\"checker\":null,\"run_all_tests\":null}", "k",
	    REQUEST_SCRIPT, "k", "c", "int main(){}", 0, 0, 0, 0, NULL, 0 },
	{ "{" OK_FIELDS ",\"run_all_tests\":false,\"checker\":\"lines\"}", "k",
	    REQUEST_SCRIPT, "k", "c", "int main(){}", 0, 0, 0, 0, "lines", 0 },
	/* unknown fields are ignored, whatever they hold */
	{ "{" OK_FIELDS ",\"extra\":{\"deep\":[1,{\"x\":null}]},\"priority\":-1}", "k",
	    REQUEST_SCRIPT, "k", "c", "int main(){}", 0, 0, 0, 0, NULL, 0 },
	/* duplicate keys: the last one wins */
	{ "{\"source\":\"first\",\"language\":\"go\",\"source\":\"second\"}", "k",
	    REQUEST_SCRIPT, "k", "go", "second", 0, 0, 0, 0, NULL, 0 },
};

static void
test_good(void **state)
{
	const struct good_case *c = *state;
	struct request req;
	char err[512] = "";

	if (request_parse(c->json, strlen(c->json), c->fallback, &req, err, sizeof err) != 0)
		fail_msg("rejected: %s", err);
	assert_int_equal(req.type, c->type);
	assert_string_equal(req.id, c->id);
	if (c->language != NULL) {
		assert_string_equal(req.language, c->language);
		assert_int_equal(req.source_len, strlen(c->source));
		assert_string_equal(req.source, c->source);
	}
	assert_true(req.time_limit_ms == c->time_ms);
	assert_true(req.memory_limit_bytes == c->memory);
	assert_true(req.wall_time_limit_ms == c->wall_ms);
	assert_int_equal(req.ntests, c->ntests);
	if (c->checker == NULL)
		assert_null(req.checker);
	else
		assert_string_equal(req.checker, c->checker);
	assert_int_equal(req.run_all_tests, c->run_all);
	request_free(&req);
}

/* Files, program specs with their limits, and groups, as parsed. */
static void
test_problem_parts(void **state)
{
	static const char json[] = "{" OK_FIELDS ",\"tests\":[{\"number\":7},{\"number\":9}],"
	    "\"files\":[{\"name\":\"util/a.h\",\"content\":\"x\\u0000y\"},{\"name\":\"b\"}],"
	    "\"checker\":{\"language\":\"cpp\",\"source\":\"chk\",\"files\":[{\"name\":"
	    "\"testlib.h\",\"content\":\"t\"}]},\"checker_limits\":{\"time_limit_ms\":500},"
	    "\"interactor\":{\"type\":\"testlib\",\"language\":\"c\",\"source\":\"int\"},"
	    "\"groups\":[{\"name\":\"late\",\"points\":2.5,\"tests\":[9],\"depends\":"
	    "[\"early\"],\"policy\":\"sum\"},{\"name\":\"early\",\"points\":0,\"tests\":"
	    "[7,9]}]}";
	struct request req;
	char err[512] = "";

	(void)state;
	if (request_parse(json, strlen(json), "k", &req, err, sizeof err) != 0)
		fail_msg("rejected: %s", err);
	assert_int_equal(req.nfiles, 2);
	assert_string_equal(req.files[0].name, "util/a.h");
	assert_int_equal(req.files[0].len, 3);
	assert_memory_equal(req.files[0].content, "x\0y", 3);
	assert_int_equal(req.files[1].len, 0);
	assert_null(req.checker);
	assert_non_null(req.checker_prog);
	assert_string_equal(req.checker_prog->language, "cpp");
	assert_int_equal(req.checker_prog->nfiles, 1);
	assert_int_equal(req.checker_prog->time_limit_ms, 500);
	assert_int_equal(req.checker_prog->memory_limit_bytes, 0);
	assert_non_null(req.interactor);
	assert_string_equal(req.interactor->source, "int");
	assert_int_equal(req.ngroups, 2);
	/* A dependency may name a later group; tests are held by index. */
	assert_string_equal(req.groups[0].name, "late");
	assert_true(req.groups[0].points == 2.5);
	assert_int_equal(req.groups[0].policy, REQUEST_POLICY_SUM);
	assert_int_equal(req.groups[0].ntests, 1);
	assert_int_equal(req.groups[0].tests[0], 1);
	assert_int_equal(req.groups[0].ndepends, 1);
	assert_int_equal(req.groups[0].depends[0], 1);
	assert_int_equal(req.groups[1].policy, REQUEST_POLICY_MIN);
	assert_int_equal(req.groups[1].ntests, 2);
	request_free(&req);
}

/* Per-test defaults and byte-exact contents. */
static void
test_tests(void **state)
{
	static const char json[] = "{" OK_FIELDS ",\"tests\":["
	    "{},"
	    "{\"number\":7,\"input\":\"a\\u0000b\",\"expected_output\":\"\"},"
	    "{\"input\":null,\"expected_output\":null,\"number\":null},"
	    "{\"number\":-2,\"input\":\"\\ud83d\\ude00\\n\",\"expected_output\":\"x\\r\\n\"}"
	    "]}";
	static const struct {
		int		 number;
		const char	*input;
		size_t		 input_len;
		const char	*expected;
		size_t		 expected_len;
	} want[] = {
		{ 1, "", 0, NULL, 0 },
		{ 7, "a\0b", 3, "", 0 },
		{ 3, "", 0, NULL, 0 },
		{ -2, "\xf0\x9f\x98\x80\n", 5, "x\r\n", 3 },
	};
	struct request req;
	char err[512];
	size_t i;

	(void)state;
	assert_int_equal(request_parse(json, sizeof json - 1, "k", &req, err, sizeof err), 0);
	assert_int_equal(req.ntests, 4);
	for (i = 0; i < 4; i++) {
		const struct request_test *t = &req.tests[i];

		assert_int_equal(t->number, want[i].number);
		assert_non_null(t->input);
		assert_int_equal(t->input_len, want[i].input_len);
		assert_memory_equal(t->input, want[i].input, t->input_len);
		if (want[i].expected == NULL) {
			assert_null(t->expected);
		} else {
			assert_non_null(t->expected);
			assert_int_equal(t->expected_len, want[i].expected_len);
			assert_memory_equal(t->expected, want[i].expected, t->expected_len);
		}
	}
	request_free(&req);
}

/* The source keeps NUL bytes and every escape, with its exact length. */
static void
test_source_bytes(void **state)
{
	static const char json[] = "{\"language\":\"python\","
	    "\"source\":\"print(1)\\u0000\\t\\\"q\\\"\\\\\\/\\u00e9\"}";
	static const char want[] = "print(1)\0\t\"q\"\\/\xc3\xa9";
	struct request req;
	char err[512];

	(void)state;
	assert_int_equal(request_parse(json, sizeof json - 1, "k", &req, err, sizeof err), 0);
	assert_int_equal(req.source_len, sizeof want - 1);
	assert_memory_equal(req.source, want, sizeof want - 1);
	request_free(&req);
}

/* Many tests: the array is walked once, numbers default to positions. */
static void
test_many_tests(void **state)
{
	struct buf b;
	struct request req;
	char err[512];
	size_t i;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "{" OK_FIELDS ",\"tests\":[");
	for (i = 0; i < 50000; i++)
		buf_printf(&b, "%s{\"input\":\"%zu\"}", i ? "," : "", i);
	buf_puts(&b, "]}");
	assert_int_equal(request_parse(b.data, b.len, "k", &req, err, sizeof err), 0);
	assert_int_equal(req.ntests, 50000);
	assert_int_equal(req.tests[49999].number, 50000);
	assert_string_equal(req.tests[49999].input, "49999");
	request_free(&req);
	buf_free(&b);
}

/* A small errstr is filled as far as it goes and terminated. */
static void
test_short_errstr(void **state)
{
	static const char json[] = "{\"language\":\"c\"}";
	struct request req;
	char err[8];

	(void)state;
	memset(err, 'x', sizeof err);
	assert_int_equal(request_parse(json, sizeof json - 1, "k", &req, err, sizeof err), -1);
	assert_int_equal(strlen(err), sizeof err - 1);
	request_free(&req);
	assert_int_equal(request_parse(json, sizeof json - 1, "k", &req, NULL, 0), -1);
	assert_string_equal(req.id, "k");
	request_free(&req);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++)
		add(xasprintf("bad #%zu: %s", i, bad_cases[i].err), test_bad, &bad_cases[i]);
	for (i = 0; i < sizeof good_cases / sizeof good_cases[0]; i++)
		add(xasprintf("good #%zu", i), test_good, &good_cases[i]);
	add("test defaults", test_tests, NULL);
	add("files, program specs and groups", test_problem_parts, NULL);
	add("source bytes", test_source_bytes, NULL);
	add("50000 tests", test_many_tests, NULL);
	add("short errstr", test_short_errstr, NULL);
	return _cmocka_run_group_tests("request", all, nall, NULL, NULL);
}
