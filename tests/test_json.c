/*
 * test_json.c - json.c against hostile documents: what must parse, what
 * must not (with the reason), limits on depth and tokens, string decoding,
 * getters, walking, and a writer whose output always re-parses to the same
 * bytes (or to U+FFFD where the input was not UTF-8). One cmocka test per
 * table row.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "json.h"

/* A byte string literal with its length (it may contain NUL bytes). */
#define B(s)	s, sizeof(s) - 1

#include "rows.h"

/* ---- parse: accept / reject ------------------------------------------- */

struct parse_case {
	const char	*name;
	const char	*text;
	size_t		 len;
	int		 rc;		/* 0, -1 or JSON_ENOTOBJ */
	const char	*err;		/* substring of the error, or NULL */
};

static const struct parse_case parse_cases[] = {
	/* valid */
	{ "empty object", B("{}"), 0, NULL },
	{ "whitespace around", B(" \t\r\n{ } \n"), 0, NULL },
	{ "all value kinds", B("{\"a\":[1,2,{\"b\":null}],\"c\":true,\"d\":false,"
	    "\"e\":-0.5e+3,\"f\":\"x\",\"g\":0,\"h\":-0,\"i\":1E-2}"), 0, NULL },
	{ "empty key", B("{\"\":\"\"}"), 0, NULL },
	{ "nested empties", B("{\"a\":{},\"b\":[],\"c\":[[]],\"d\":[{}]}"), 0, NULL },
	{ "escapes", B("{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}"), 0, NULL },
	{ "unicode escapes", B("{\"a\":\"\\u00e9\\ud83d\\ude00\\uFFFF\"}"), 0, NULL },
	{ "escaped NUL", B("{\"a\":\"\\u0000\"}"), 0, NULL },
	{ "raw UTF-8", B("{\"a\":\"h\xc3\xa9 \xf0\x9f\x98\x80\"}"), 0, NULL },
	{ "raw invalid UTF-8 passes", B("{\"a\":\"\xff\xfe\"}"), 0, NULL },
	{ "DEL byte raw", B("{\"a\":\"\x7f\"}"), 0, NULL },
	{ "ws between tokens", B("{ \"a\" : [ 1 , 2 ] , \"b\" :\n{ } }"), 0, NULL },
	{ "duplicate keys", B("{\"a\":1,\"a\":2}"), 0, NULL },

	/* not an object */
	{ "array root", B("[]"), JSON_ENOTOBJ, "not a JSON object" },
	{ "string root", B("\"x\""), JSON_ENOTOBJ, "not a JSON object" },
	{ "number root", B("12"), JSON_ENOTOBJ, "not a JSON object" },
	{ "true root", B("true"), JSON_ENOTOBJ, "not a JSON object" },
	{ "null root", B("null"), JSON_ENOTOBJ, "not a JSON object" },
	{ "false root", B(" false \n"), JSON_ENOTOBJ, "not a JSON object" },
	{ "nested array root", B("[{\"a\":1},[]]"), JSON_ENOTOBJ, "not a JSON object" },
	{ "string root with spaces", B(" \"x\" "), JSON_ENOTOBJ, "not a JSON object" },
	{ "truncated array root", B("[1,2"), -1, "end of input" },
	{ "bad array root", B("[1 2]"), -1, NULL },
	{ "two strings", B("\"x\" \"y\""), -1, "trailing data" },
	{ "two numbers", B("1 2"), -1, "unexpected character" },
	{ "bad literal root", B("nope"), -1, "unexpected character" },
	{ "bad number root", B("01"), -1, "unexpected character" },

	/* structure */
	{ "empty", B(""), -1, "empty document" },
	{ "only spaces", B("  \n "), -1, "empty document" },
	{ "bare word", B("hello"), -1, "unexpected character" },
	{ "open brace", B("{"), -1, "end of input" },
	{ "unterminated member", B("{\"a\":1"), -1, "end of input" },
	{ "unterminated string", B("{\"a\":\"xyz"), -1, "end of input" },
	{ "missing value", B("{\"a\":}"), -1, NULL },
	{ "missing colon", B("{\"a\" \"b\"}"), -1, NULL },
	{ "key without value", B("{\"a\"}"), -1, NULL },
	{ "missing comma in object", B("{\"a\":1 \"b\":2}"), -1, NULL },
	{ "missing comma in array", B("{\"a\":[1 2]}"), -1, NULL },
	{ "trailing comma in array", B("{\"a\":[1,]}"), -1, NULL },
	{ "trailing comma in object", B("{\"a\":1,}"), -1, NULL },
	{ "leading comma in object", B("{,\"a\":1}"), -1, NULL },
	{ "leading comma in array", B("{\"a\":[,1]}"), -1, NULL },
	{ "double comma", B("{\"a\":1,,\"b\":2}"), -1, NULL },
	{ "double colon", B("{\"a\"::1}"), -1, NULL },
	{ "colon after value", B("{\"a\":1:2}"), -1, NULL },
	{ "colon in array", B("{\"a\":[1:2]}"), -1, NULL },
	{ "string chain", B("{\"a\":\"b\":\"c\"}"), -1, NULL },
	{ "object without value", B("{\"a\":{\"b\"}}"), -1, NULL },
	{ "key in array", B("{\"a\":[\"b\":1]}"), -1, NULL },
	{ "mismatched bracket", B("{\"a\":1]"), -1, NULL },
	{ "mismatched nested", B("{\"a\":[1}}"), -1, NULL },
	{ "extra close", B("{\"a\":1}}"), -1, NULL },
	{ "trailing garbage", B("{\"a\":1}x"), -1, NULL },
	{ "two documents", B("{\"a\":1} {\"b\":2}"), -1, "trailing data" },
	{ "two objects", B("{}{}"), -1, "trailing data" },
	{ "number key", B("{1:2}"), -1, NULL },
	{ "bare key", B("{a:1}"), -1, NULL },
	{ "single quotes", B("{\"a\":'x'}"), -1, NULL },
	{ "object as key", B("{{}:1}"), -1, NULL },
	{ "vertical tab ws", B("{\v\"a\":1}"), -1, NULL },
	{ "form feed ws", B("{\f}"), -1, NULL },

	/* literals and numbers */
	{ "tru", B("{\"a\":tru}"), -1, "bad literal" },
	{ "nul", B("{\"a\":nul}"), -1, "bad literal" },
	{ "truex", B("{\"a\":truex}"), -1, "bad literal" },
	{ "True", B("{\"a\":True}"), -1, NULL },
	{ "leading zero", B("{\"a\":01}"), -1, "bad literal" },
	{ "dot without digits", B("{\"a\":1.}"), -1, "bad literal" },
	{ "leading dot", B("{\"a\":.5}"), -1, NULL },
	{ "lone minus", B("{\"a\":-}"), -1, "bad literal" },
	{ "empty exponent", B("{\"a\":1e}"), -1, "bad literal" },
	{ "signed exponent only", B("{\"a\":1e+}"), -1, "bad literal" },
	{ "plus sign", B("{\"a\":+1}"), -1, NULL },
	{ "two dots", B("{\"a\":1.2.3}"), -1, "bad literal" },
	{ "hex", B("{\"a\":0x10}"), -1, "bad literal" },
	{ "NaN", B("{\"a\":NaN}"), -1, NULL },
	{ "Infinity", B("{\"a\":Infinity}"), -1, NULL },
	{ "minus minus", B("{\"a\":--1}"), -1, "bad literal" },

	/* strings */
	{ "bad escape", B("{\"a\":\"\\x\"}"), -1, NULL },
	{ "escaped quote key ok", B("{\"a\\\"\":1}"), 0, NULL },
	{ "short \\u", B("{\"a\":\"\\u12\"}"), -1, NULL },
	{ "bad hex in \\u", B("{\"a\":\"\\u12g4\"}"), -1, NULL },
	{ "raw tab in string", B("{\"a\":\"x\ty\"}"), -1, "control character" },
	{ "raw newline in string", B("{\"a\":\"x\ny\"}"), -1, "control character" },
	{ "raw 0x1f in key", B("{\"a\x1f\":1}"), -1, "control character" },
	{ "lone high surrogate", B("{\"a\":\"\\ud800\"}"), -1, "surrogate" },
	{ "lone low surrogate", B("{\"a\":\"\\udc00\"}"), -1, "surrogate" },
	{ "high then letter", B("{\"a\":\"\\ud800x\"}"), -1, "surrogate" },
	{ "high then non-low", B("{\"a\":\"\\ud800\\u0041\"}"), -1, "surrogate" },
	{ "high then high", B("{\"a\":\"\\ud800\\ud800\"}"), -1, "surrogate" },
	{ "reversed pair", B("{\"a\":\"\\udc00\\ud800\"}"), -1, "surrogate" },
	{ "high at end", B("{\"a\":\"x\\udbff\"}"), -1, "surrogate" },
	{ "surrogate in key", B("{\"\\udfff\":1}"), -1, "surrogate" },

	/* NUL bytes are data errors, not an end of input */
	{ "NUL after object", B("{\"a\":1}\0"), -1, "NUL byte" },
	{ "NUL then garbage", B("{\"a\":1}\0garbage"), -1, "NUL byte" },
	{ "raw NUL in string", B("{\"a\":\"x\0y\"}"), -1, "NUL byte" },
	{ "NUL before object", B("\0{}"), -1, NULL },
	{ "NUL after backslash", B("{\"a\":\"\\\0\"}"), -1, NULL },
};

static void
test_parse(void **state)
{
	const struct parse_case *c = *state;
	struct json_doc *doc = (void *)1;
	char err[256] = "";
	int rc;

	rc = json_parse(c->text, c->len, &doc, err, sizeof err);
	if (rc != c->rc)
		print_message("%s: rc %d (want %d), error \"%s\"\n", c->name, rc, c->rc, err);
	assert_int_equal(rc, c->rc);
	if (rc == 0) {
		assert_non_null(doc);
		assert_int_equal(json_type(doc, 0), JSON_OBJECT);
		assert_int_equal(json_skip(doc, 0), json_ntokens(doc));
	} else {
		assert_null(doc);
		assert_true(err[0] != '\0');
		if (c->err != NULL && strstr(err, c->err) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", c->name, err, c->err);
	}
	json_free(doc);
}

/* ---- limits --------------------------------------------------------------- */

/* "{"a": [[[...]]] }" with the object at depth 1 and `arrays` arrays. */
static char *
nested(int arrays, size_t *len)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_puts(&b, "{\"a\":");
	for (i = 0; i < arrays; i++)
		buf_putc(&b, '[');
	for (i = 0; i < arrays; i++)
		buf_putc(&b, ']');
	buf_putc(&b, '}');
	return buf_steal(&b, len);
}

struct depth_case {
	int	arrays;
	int	rc;
};

static const struct depth_case depth_cases[] = {
	{ JSON_MAX_DEPTH - 1, 0 },	/* exactly JSON_MAX_DEPTH levels */
	{ JSON_MAX_DEPTH, -1 },
	{ 10000, -1 },
	{ 500000, -1 },			/* would be quadratic inside jsmn */
};

static void
test_depth(void **state)
{
	const struct depth_case *c = *state;
	struct json_doc *doc;
	char err[256] = "";
	size_t len;
	char *text = nested(c->arrays, &len);
	int64_t t0 = util_now_ms();

	assert_int_equal(json_parse(text, len, &doc, err, sizeof err), c->rc);
	assert_true(util_now_ms() - t0 < 2000);
	if (c->rc != 0)
		assert_non_null(strstr(err, "nesting deeper"));
	json_free(doc);
	free(text);
}

/* {"a":[0,0,...]} with n zeros: n + 3 tokens. */
static char *
flat(size_t n, size_t *len)
{
	char *s = xmalloc(n * 2 + 16);
	size_t i, p = 0;

	memcpy(s, "{\"a\":[", 6);
	p = 6;
	for (i = 0; i < n; i++) {
		s[p++] = '0';
		s[p++] = ',';
	}
	if (n > 0)
		p--;
	memcpy(s + p, "]}", 3);
	*len = p + 2;
	return s;
}

struct tokens_case {
	size_t	ntok;
	int	rc;
};

static const struct tokens_case tokens_cases[] = {
	{ 4, 0 },
	{ 65, 0 },			/* crosses the first growth */
	{ JSON_MAX_TOKENS, 0 },		/* exactly the cap */
	{ JSON_MAX_TOKENS + 1, -1 },
	{ 2 * JSON_MAX_TOKENS, -1 },	/* 2M tokens */
};

static void
test_tokens(void **state)
{
	const struct tokens_case *c = *state;
	struct json_doc *doc;
	char err[256] = "";
	size_t len;
	char *text = flat(c->ntok - 3, &len);
	int64_t t0 = util_now_ms();
	int rc = json_parse(text, len, &doc, err, sizeof err);

	if (rc != c->rc)
		print_message("ntok %zu: %s\n", c->ntok, err);
	assert_int_equal(rc, c->rc);
	assert_true(util_now_ms() - t0 < 5000);
	if (rc == 0) {
		int arr = json_object_get(doc, 0, "a");

		assert_int_equal(json_ntokens(doc), (int)c->ntok);
		assert_int_equal(json_size(doc, arr), c->ntok - 3);
	} else {
		assert_non_null(strstr(err, "tokens"));
	}
	json_free(doc);
	free(text);
}

/* A flat object of many members: quadratic in jsmn without parent links. */
static void
test_wide_object(void **state)
{
	struct buf b;
	struct json_doc *doc;
	char err[256];
	int i, v;
	int64_t t0, got;

	(void)state;
	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; i < 200000; i++)
		buf_printf(&b, "%s\"k%d\":%d", i ? "," : "", i, i);
	buf_putc(&b, '}');
	t0 = util_now_ms();
	assert_int_equal(json_parse(b.data, b.len, &doc, err, sizeof err), 0);
	assert_true(util_now_ms() - t0 < 2000);
	v = json_object_get(doc, 0, "k199999");
	assert_true(v > 0);
	assert_int_equal(json_get_int64(doc, v, &got), 0);
	assert_int_equal(got, 199999);
	json_free(doc);
	buf_free(&b);
}

/* Every proper prefix of a valid document is rejected, none crashes. */
static void
test_prefixes(void **state)
{
	static const char doc_text[] = "{\"id\":\"x\\u00e9\\ud83d\\ude00\",\"n\":-12.5e3,"
	    "\"t\":[true,false,null,{\"k\":[]}],\"s\":\"a\\\"b\"}";
	size_t n, len = sizeof doc_text - 1;
	struct json_doc *doc;
	char err[256];

	(void)state;
	assert_int_equal(json_parse(doc_text, len, &doc, err, sizeof err), 0);
	json_free(doc);
	for (n = 0; n < len; n++) {
		char *copy = xmemdup(doc_text, n);	/* exact size: ASan sees overreads */

		if (json_parse(copy, n, &doc, err, sizeof err) == 0)
			fail_msg("prefix of %zu bytes accepted", n);
		free(copy);
	}
}

/* Random single-byte mutations: whatever parses must also walk cleanly. */
static void
test_mutations(void **state)
{
	static const char base[] = "{\"a\":[1,{\"b\":\"c\\n\\u0041\"}],\"d\":-1.5e2,"
	    "\"e\":true,\"f\":null}";
	static const char bytes[] = "{}[]\",:\\u0aZ-+.eE \t\n\x01\x80\xff";
	size_t len = sizeof base - 1, i, j;
	int accepted = 0;

	(void)state;
	for (i = 0; i < len; i++) {
		for (j = 0; j < sizeof bytes - 1; j++) {
			char *copy = xmemdup(base, len);
			struct json_doc *doc;
			char err[256];
			int t;

			copy[i] = bytes[j];
			if (json_parse(copy, len, &doc, err, sizeof err) == 0) {
				accepted++;
				for (t = 0; t < json_ntokens(doc); t++) {
					char *s;
					size_t sl;
					int64_t iv;
					int bv;

					if (json_get_string(doc, t, &s, &sl) == 0)
						free(s);
					(void)json_get_int64(doc, t, &iv);
					(void)json_get_bool(doc, t, &bv);
					assert_true(json_next(doc, t) <= json_ntokens(doc));
				}
				json_free(doc);
			}
			free(copy);
		}
	}
	/* Some mutations are harmless (a digit, a letter in a string). */
	assert_true(accepted > 0);
}

/* ---- getters -------------------------------------------------------------- */

static const char getter_doc[] =
    "{\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\","
    "\"u\":\"\\u00e9\\u20ac\\ud83d\\ude00\\u007f\","
    "\"z\":\"a\\u0000b\","
    "\"raw\":\"\xc3\xa9\xff\","
    "\"empty\":\"\","
    "\"i\":42,\"neg\":-9223372036854775808,\"max\":9223372036854775807,"
    "\"over\":9223372036854775808,\"under\":-9223372036854775809,"
    "\"big\":123456789012345678901234567890,"
    "\"f\":1.5,\"e\":1e3,\"f0\":1.0,\"mz\":-0,\"zero\":0,"
    "\"t\":true,\"fl\":false,\"n\":null,\"o\":{},\"a\":[1,2,3],"
    "\"\\u0069d\":\"escaped key\","
    "\"dup\":1,\"dup\":\"second\"}";

enum getter { G_STRING, G_INT, G_BOOL, G_NULL };

struct getter_case {
	const char	*key;
	enum json_type	 type;
	enum getter	 getter;
	int		 rc;
	const char	*str;		/* G_STRING */
	size_t		 str_len;
	int64_t		 num;		/* G_INT, G_BOOL, G_NULL (is_null result) */
};

static const struct getter_case getter_cases[] = {
	{ "s", JSON_STRING, G_STRING, 0, B("a\"b\\c/d\b\f\n\r\t"), 0 },
	{ "u", JSON_STRING, G_STRING, 0, B("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f"), 0 },
	{ "z", JSON_STRING, G_STRING, 0, B("a\0b"), 0 },
	{ "raw", JSON_STRING, G_STRING, 0, B("\xc3\xa9\xff"), 0 },
	{ "empty", JSON_STRING, G_STRING, 0, B(""), 0 },
	{ "id", JSON_STRING, G_STRING, 0, B("escaped key"), 0 },
	{ "dup", JSON_STRING, G_STRING, 0, B("second"), 0 },
	{ "i", JSON_NUMBER, G_STRING, JSON_ETYPE, NULL, 0, 0 },
	{ "i", JSON_NUMBER, G_INT, 0, NULL, 0, 42 },
	{ "neg", JSON_NUMBER, G_INT, 0, NULL, 0, INT64_MIN },
	{ "max", JSON_NUMBER, G_INT, 0, NULL, 0, INT64_MAX },
	{ "over", JSON_NUMBER, G_INT, JSON_ERANGE, NULL, 0, 0 },
	{ "under", JSON_NUMBER, G_INT, JSON_ERANGE, NULL, 0, 0 },
	{ "big", JSON_NUMBER, G_INT, JSON_ERANGE, NULL, 0, 0 },
	{ "f", JSON_NUMBER, G_INT, JSON_ERANGE, NULL, 0, 0 },
	{ "e", JSON_NUMBER, G_INT, JSON_ERANGE, NULL, 0, 0 },
	{ "f0", JSON_NUMBER, G_INT, JSON_ERANGE, NULL, 0, 0 },
	{ "mz", JSON_NUMBER, G_INT, 0, NULL, 0, 0 },
	{ "zero", JSON_NUMBER, G_INT, 0, NULL, 0, 0 },
	{ "s", JSON_STRING, G_INT, JSON_ETYPE, NULL, 0, 0 },
	{ "t", JSON_BOOL, G_INT, JSON_ETYPE, NULL, 0, 0 },
	{ "n", JSON_NULL, G_INT, JSON_ETYPE, NULL, 0, 0 },
	{ "t", JSON_BOOL, G_BOOL, 0, NULL, 0, 1 },
	{ "fl", JSON_BOOL, G_BOOL, 0, NULL, 0, 0 },
	{ "i", JSON_NUMBER, G_BOOL, JSON_ETYPE, NULL, 0, 0 },
	{ "s", JSON_STRING, G_BOOL, JSON_ETYPE, NULL, 0, 0 },
	{ "n", JSON_NULL, G_NULL, 0, NULL, 0, 1 },
	{ "fl", JSON_BOOL, G_NULL, 0, NULL, 0, 0 },
	{ "o", JSON_OBJECT, G_STRING, JSON_ETYPE, NULL, 0, 0 },
	{ "a", JSON_ARRAY, G_INT, JSON_ETYPE, NULL, 0, 0 },
	{ "o", JSON_OBJECT, G_NULL, 0, NULL, 0, 0 },
};

static void
test_getter(void **state)
{
	const struct getter_case *c = *state;
	struct json_doc *doc;
	char err[256], *s = NULL;
	size_t len = 12345;
	int64_t v = 777;
	int bv = 777, tok;

	assert_int_equal(json_parse(getter_doc, sizeof getter_doc - 1, &doc, err, sizeof err),
	    0);
	tok = json_object_get(doc, 0, c->key);
	assert_true(tok > 0);
	assert_int_equal(json_type(doc, tok), c->type);
	switch (c->getter) {
	case G_STRING:
		assert_int_equal(json_get_string(doc, tok, &s, &len), c->rc);
		if (c->rc == 0) {
			assert_int_equal(len, c->str_len);
			assert_memory_equal(s, c->str, len);
			assert_int_equal(s[len], '\0');
			free(s);
		} else {
			assert_null(s);
		}
		break;
	case G_INT:
		assert_int_equal(json_get_int64(doc, tok, &v), c->rc);
		if (c->rc == 0)
			assert_true(v == c->num);
		break;
	case G_BOOL:
		assert_int_equal(json_get_bool(doc, tok, &bv), c->rc);
		if (c->rc == 0)
			assert_int_equal(bv, c->num);
		break;
	case G_NULL:
		assert_int_equal(json_is_null(doc, tok), c->num);
		break;
	}
	json_free(doc);
}

struct lookup_case {
	const char	*text;
	const char	*key;
	int		 found;		/* 1: present */
};

static const struct lookup_case lookup_cases[] = {
	{ "{\"a\":1}", "a", 1 },
	{ "{\"a\":1}", "b", 0 },
	{ "{\"a\":1}", "", 0 },
	{ "{\"\":1}", "", 1 },
	{ "{\"ab\":1}", "a", 0 },		/* length compared first */
	{ "{\"a\":1}", "ab", 0 },
	{ "{\"a\\u0000b\":1}", "a", 0 },	/* an escaped NUL is not an end */
	{ "{\"x\":{\"a\":1}}", "a", 0 },	/* not searched recursively */
	{ "{\"x\":[\"a\"],\"y\":1}", "a", 0 },	/* values are not keys */
	{ "{\"x\":\"a\",\"y\":1}", "a", 0 },
	{ "{\"\\u0061\":1}", "a", 1 },
	{ "{\"\\\"q\\\"\":1}", "\"q\"", 1 },
};

static void
test_lookup(void **state)
{
	const struct lookup_case *c = *state;
	struct json_doc *doc;
	char err[256];
	int v;

	assert_int_equal(json_parse(c->text, strlen(c->text), &doc, err, sizeof err), 0);
	v = json_object_get(doc, 0, c->key);
	assert_int_equal(v >= 0, c->found);
	json_free(doc);
}

/* Duplicate keys: the last one wins, even when the first is a container. */
static void
test_duplicates(void **state)
{
	static const char text[] = "{\"k\":{\"k\":1},\"k\":[1,2],\"x\":0,\"k\":3}";
	struct json_doc *doc;
	char err[256];
	int64_t v;

	(void)state;
	assert_int_equal(json_parse(text, sizeof text - 1, &doc, err, sizeof err), 0);
	assert_int_equal(json_get_int64(doc, json_object_get(doc, 0, "k"), &v), 0);
	assert_int_equal(v, 3);
	json_free(doc);
}

/* Walking: sizes, first child, siblings, subtree sizes, non-container lookups. */
static void
test_walk(void **state)
{
	/* tokens: 0 {  1 "a"  2 [  3 1  4 [  5 2  6 3  7 {  8 "b"  9 4  10 "c"  11 5 */
	static const char text[] = "{\"a\":[1,[2,3],{\"b\":4}],\"c\":5}";
	static const struct {
		int		tok;
		enum json_type	type;
		size_t		size;
		int		first, next, skip;
	} rows[] = {
		{ 0, JSON_OBJECT, 2, 1, 12, 12 },
		{ 1, JSON_STRING, 0, -1, 2, 1 },
		{ 2, JSON_ARRAY, 3, 3, 10, 8 },
		{ 3, JSON_NUMBER, 0, -1, 4, 1 },
		{ 4, JSON_ARRAY, 2, 5, 7, 3 },
		{ 7, JSON_OBJECT, 1, 8, 10, 3 },
		{ 8, JSON_STRING, 0, -1, 9, 1 },
		{ 10, JSON_STRING, 0, -1, 11, 1 },
		{ 11, JSON_NUMBER, 0, -1, 12, 1 },
	};
	struct json_doc *doc;
	char err[256];
	size_t i;

	(void)state;
	assert_int_equal(json_parse(text, sizeof text - 1, &doc, err, sizeof err), 0);
	assert_int_equal(json_ntokens(doc), 12);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_int_equal(json_type(doc, rows[i].tok), rows[i].type);
		assert_int_equal(json_size(doc, rows[i].tok), rows[i].size);
		assert_int_equal(json_first(doc, rows[i].tok), rows[i].first);
		assert_int_equal(json_next(doc, rows[i].tok), rows[i].next);
		assert_int_equal(json_skip(doc, rows[i].tok), rows[i].skip);
	}
	assert_int_equal(json_object_get(doc, 2, "a"), -1);	/* an array */
	assert_int_equal(json_object_get(doc, 3, "a"), -1);	/* a number */
	assert_int_equal(json_object_get(doc, 7, "b"), 9);
	assert_int_equal(json_object_get(doc, -1, "a"), -1);
	assert_int_equal(json_object_get(doc, 99, "a"), -1);
	assert_string_equal(json_type_name(JSON_BOOL), "boolean");
	json_free(doc);
}

/* ---- writer --------------------------------------------------------------- */

struct write_case {
	const char	*name;
	const char	*in;
	size_t		 in_len;
	const char	*out;		/* exact output, quotes included */
	size_t		 out_len;
};

#define FFFD "\xef\xbf\xbd"

static const struct write_case write_cases[] = {
	{ "empty", B(""), B("\"\"") },
	{ "plain", B("hello"), B("\"hello\"") },
	{ "quote and backslash", B("a\"b\\c"), B("\"a\\\"b\\\\c\"") },
	{ "slash unescaped", B("/"), B("\"/\"") },
	{ "short escapes", B("\b\f\n\r\t"), B("\"\\b\\f\\n\\r\\t\"") },
	{ "NUL", B("a\0b"), B("\"a\\u0000b\"") },
	{ "other controls", B("\x01\x1f\x0b"), B("\"\\u0001\\u001f\\u000b\"") },
	{ "DEL passes", B("\x7f"), B("\"\x7f\"") },
	{ "2-byte", B("\xc3\xa9"), B("\"\xc3\xa9\"") },
	{ "3-byte", B("\xe2\x82\xac"), B("\"\xe2\x82\xac\"") },
	{ "4-byte", B("\xf0\x9f\x98\x80"), B("\"\xf0\x9f\x98\x80\"") },
	{ "U+FFFF", B("\xef\xbf\xbf"), B("\"\xef\xbf\xbf\"") },
	{ "U+10FFFF", B("\xf4\x8f\xbf\xbf"), B("\"\xf4\x8f\xbf\xbf\"") },
	{ "U+D7FF", B("\xed\x9f\xbf"), B("\"\xed\x9f\xbf\"") },
	{ "stray continuation", B("\x80"), B("\"" FFFD "\"") },
	{ "0xff", B("a\xff" "b"), B("\"a" FFFD "b\"") },
	{ "0xfe 0xff", B("\xfe\xff"), B("\"" FFFD FFFD "\"") },
	{ "overlong slash", B("\xc0\xaf"), B("\"" FFFD FFFD "\"") },
	{ "overlong C1", B("\xc1\xbf"), B("\"" FFFD FFFD "\"") },
	{ "overlong 3-byte", B("\xe0\x80\xaf"), B("\"" FFFD FFFD FFFD "\"") },
	{ "overlong 4-byte", B("\xf0\x80\x80\xaf"), B("\"" FFFD FFFD FFFD FFFD "\"") },
	{ "surrogate D800", B("\xed\xa0\x80"), B("\"" FFFD FFFD FFFD "\"") },
	{ "surrogate DFFF", B("\xed\xbf\xbf"), B("\"" FFFD FFFD FFFD "\"") },
	{ "above U+10FFFF", B("\xf4\x90\x80\x80"), B("\"" FFFD FFFD FFFD FFFD "\"") },
	{ "F5 lead", B("\xf5\x80\x80\x80"), B("\"" FFFD FFFD FFFD FFFD "\"") },
	{ "truncated 2 of 3 at end", B("\xe2\x82"), B("\"" FFFD "\"") },
	{ "truncated 3 of 4 at end", B("\xf0\x9f\x98"), B("\"" FFFD "\"") },
	{ "truncated then ASCII", B("\xe2\x82x"), B("\"" FFFD "x\"") },
	{ "truncated then quote", B("\xc3\""), B("\"" FFFD "\\\"\"") },
	{ "truncated then valid", B("\xe2\xc3\xa9"), B("\"" FFFD "\xc3\xa9\"") },
	{ "lead then NUL", B("\xc3\0"), B("\"" FFFD "\\u0000\"") },
};

/* Re-parses a written string inside an object and returns its bytes. */
static char *
reparse(const char *quoted, size_t qlen, size_t *len)
{
	struct buf b;
	struct json_doc *doc;
	char err[256], *s = NULL;

	buf_init(&b);
	buf_puts(&b, "{\"k\":");
	buf_append(&b, quoted, qlen);
	buf_putc(&b, '}');
	if (json_parse(b.data, b.len, &doc, err, sizeof err) != 0)
		fail_msg("written string does not re-parse: %s", err);
	assert_int_equal(json_get_string(doc, json_object_get(doc, 0, "k"), &s, len), 0);
	json_free(doc);
	buf_free(&b);
	return s;
}

/* Independent UTF-8 validity check (by code point ranges). */
static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned long cp;
		size_t k, need;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			need = 1;
			cp = s[i] & 0x1F;
		} else if ((s[i] & 0xF0) == 0xE0) {
			need = 2;
			cp = s[i] & 0x0F;
		} else if ((s[i] & 0xF8) == 0xF0) {
			need = 3;
			cp = s[i] & 0x07;
		} else {
			return 0;
		}
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

static void
test_write(void **state)
{
	const struct write_case *c = *state;
	struct buf b;
	char *back;
	size_t back_len;

	buf_init(&b);
	buf_puts(&b, "pre");
	json_write_string(&b, c->in, c->in_len);
	assert_int_equal(b.len - 3, c->out_len);
	assert_memory_equal(b.data + 3, c->out, c->out_len);
	assert_int_equal(json_string_len(c->in, c->in_len), c->out_len);
	back = reparse(b.data + 3, b.len - 3, &back_len);
	assert_true(valid_utf8((unsigned char *)back, back_len));
	if (valid_utf8((const unsigned char *)c->in, c->in_len)) {
		assert_int_equal(back_len, c->in_len);
		assert_memory_equal(back, c->in, c->in_len);
	}
	free(back);
	buf_free(&b);
}

/* Every single byte value, alone and between letters, round-trips or becomes U+FFFD. */
static void
test_write_every_byte(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		char in[3] = { 'a', (char)c, 'b' };
		struct buf b;
		char *back;
		size_t len;

		buf_init(&b);
		json_write_string(&b, in, sizeof in);
		assert_int_equal(b.len, json_string_len(in, sizeof in));
		back = reparse(b.data, b.len, &len);
		if (c < 0x80) {
			assert_int_equal(len, 3);
			assert_memory_equal(back, in, 3);
		} else {
			assert_int_equal(len, 5);
			assert_memory_equal(back, "a" FFFD "b", 5);
		}
		free(back);
		buf_free(&b);
	}
}

/* Random bytes: always valid JSON and UTF-8; valid input comes back unchanged. */
static void
test_write_random(void **state)
{
	unsigned seed = 12345;
	int round;

	(void)state;
	for (round = 0; round < 3000; round++) {
		unsigned char in[64];
		size_t n = (size_t)(round % 64), i, len;
		struct buf b;
		char *back;

		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Bias towards the interesting ranges. */
			in[i] = (unsigned char)((seed >> 16) % 3 == 0 ? 0x80 + (seed >> 8) % 0x80 :
			    (seed >> 16) % 3 == 1 ? (seed >> 8) % 0x20 : (seed >> 8));
		}
		buf_init(&b);
		json_write_string(&b, (char *)in, n);
		assert_int_equal(b.len, json_string_len((char *)in, n));
		assert_true(valid_utf8((unsigned char *)b.data, b.len));
		back = reparse(b.data, b.len, &len);
		assert_true(valid_utf8((unsigned char *)back, len));
		if (valid_utf8(in, n)) {
			assert_int_equal(len, n);
			assert_memory_equal(back, in, n);
		}
		free(back);
		buf_free(&b);
	}
}

/* The structured writer: commas, keys, nesting, integers at the extremes. */
static void
test_writer(void **state)
{
	static const char want[] = "{\"a\":[1,true,null,\"x\",{}],\"b\":{\"c\":-5,"
	    "\"min\":-9223372036854775808,\"max\":9223372036854775807},\"d\":[],"
	    "\"e\":false,\"f\":\"\",\"g\":[[],[{}]],\"k\\n\":\"v\"}";
	struct json_writer w;
	struct json_doc *doc;
	struct buf b;
	char err[256];

	(void)state;
	buf_init(&b);
	json_writer_init(&w, &b);
	json_obj_begin(&w);
	json_key(&w, "a");
	json_arr_begin(&w);
	json_int(&w, 1);
	json_bool(&w, 1);
	json_null(&w);
	json_str(&w, "x", 1);
	json_obj_begin(&w);
	json_obj_end(&w);
	json_arr_end(&w);
	json_key(&w, "b");
	json_obj_begin(&w);
	json_key(&w, "c");
	json_int(&w, -5);
	json_key(&w, "min");
	json_int(&w, INT64_MIN);
	json_key(&w, "max");
	json_int(&w, INT64_MAX);
	json_obj_end(&w);
	json_key(&w, "d");
	json_arr_begin(&w);
	json_arr_end(&w);
	json_key(&w, "e");
	json_bool(&w, 0);
	json_key(&w, "f");
	json_cstr(&w, NULL);
	json_key(&w, "g");
	json_arr_begin(&w);
	json_arr_begin(&w);
	json_arr_end(&w);
	json_arr_begin(&w);
	json_obj_begin(&w);
	json_obj_end(&w);
	json_arr_end(&w);
	json_arr_end(&w);
	json_key(&w, "k\n");
	json_cstr(&w, "v");
	json_obj_end(&w);
	assert_string_equal(b.data, want);
	assert_int_equal(w.depth, 0);
	assert_int_equal(json_parse(b.data, b.len, &doc, err, sizeof err), 0);
	json_free(doc);
	buf_free(&b);
}

/* ---- cutting to a cap ----------------------------------------------------- */

struct cut_case {
	const char	*name;
	const char	*in;
	size_t		 in_len;
	size_t		 cap;
	size_t		 kept;		/* bytes of in kept */
};

static const struct cut_case cut_cases[] = {
	{ "cut: fits", B("abc"), 3, 3 },
	{ "cut: ASCII", B("abcdef"), 4, 4 },
	{ "cut: cap 0", B("a"), 0, 0 },
	{ "cut: empty", B(""), 5, 0 },
	{ "cut: escapes count as their byte", B("\n\n\x01"), 3, 3 },
	{ "cut: 2-byte char, cap 1", B("\xc3\xa9"), 1, 0 },
	{ "cut: 3-byte char, cap 2", B("\xe2\x82\xac"), 2, 0 },
	{ "cut: 4-byte char, cap 3", B("\xf0\x9f\x98\x80"), 3, 0 },
	{ "cut: 4-byte char, cap 1", B("\xf0\x9f\x98\x80x"), 1, 0 },
	{ "cut: 4-byte char, cap 4", B("\xf0\x9f\x98\x80x"), 4, 4 },
	{ "cut: before a 2-byte char", B("a\xc3\xa9"), 2, 1 },
	{ "cut: inside the 3rd char", B("\xc3\xa9\xc3\xa9\xc3\xa9"), 5, 4 },
	{ "cut: invalid byte, cap 2", B("\xff"), 2, 0 },
	{ "cut: invalid byte, cap 3", B("\xff"), 3, 1 },
	{ "cut: invalid bytes, cap 5", B("\xff\xfe"), 5, 1 },
	{ "cut: truncated sequence is one U+FFFD", B("\xe2\x82x"), 3, 2 },
	{ "cut: truncated sequence, cap 2", B("\xe2\x82"), 2, 0 },
	{ "cut: surrogate is three U+FFFD", B("\xed\xa0\x80"), 8, 2 },
};

/* Decodes what json_write_string makes of s[0..len). */
static char *
written(const char *s, size_t len, size_t *out_len)
{
	struct buf b;
	char *back;

	buf_init(&b);
	json_write_string(&b, s, len);
	back = reparse(b.data, b.len, out_len);
	buf_free(&b);
	return back;
}

static void
test_cut(void **state)
{
	const struct cut_case *c = *state;
	size_t w, n = json_cut(c->in, c->in_len, c->cap, &w), len;
	char *back;

	assert_int_equal(n, c->kept);
	assert_int_equal(json_cut(c->in, c->in_len, c->cap, NULL), n);
	assert_int_equal(w, json_string_len(c->in, n));
	back = written(c->in, n, &len);
	assert_true(len <= c->cap);
	assert_true(valid_utf8((unsigned char *)back, len));
	free(back);
}

/*
 * Random bytes and caps: the kept prefix is written within the cap, as the
 * start of what the whole string is written as (no cut sequence becomes a
 * U+FFFD of its own), and the next longer cut is written past the cap.
 */
static void
test_cut_random(void **state)
{
	unsigned seed = 4242;
	int round;

	(void)state;
	for (round = 0; round < 3000; round++) {
		unsigned char in[32];
		size_t n = (size_t)(round % 32), cap, kept, i, len, whole_len, next_len, w;
		char *part, *whole, *next;

		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (unsigned char)((seed >> 16) % 2 ? 0x80 + (seed >> 8) % 0x80 :
			    (seed >> 8));
		}
		seed = seed * 1103515245u + 12345u;
		cap = (seed >> 16) % 40;
		kept = json_cut((char *)in, n, cap, &w);
		assert_true(kept <= n);
		assert_int_equal(json_cut((char *)in, n, cap, NULL), kept);
		assert_int_equal(w, json_string_len((char *)in, kept));
		part = written((char *)in, kept, &len);
		whole = written((char *)in, n, &whole_len);
		assert_true(len <= cap);
		assert_true(len <= whole_len);
		assert_memory_equal(part, whole, len);
		if (kept < n) {
			/* A unit writes at most 4 bytes: the next cut within 4 more. */
			for (i = cap + 1; i <= cap + 4 && json_cut((char *)in, n, i, NULL) == kept;
			    i++)
				;
			next = written((char *)in, json_cut((char *)in, n, i, NULL), &next_len);
			free(next);
			assert_true(json_cut((char *)in, n, i, NULL) > kept);
			assert_true(next_len > cap);
		}
		free(part);
		free(whole);
	}
}

/* Files under tests/data/json: good-*.json parse, bad-*.json do not. */
static void
test_data_files(void **state)
{
	static const struct {
		const char	*file;
		int		 rc;
	} files[] = {
		{ "good-submission.json", 0 },
		{ "bad-trailing-comma.json", -1 },
		{ "bad-lone-surrogate.json", -1 },
	};
	const char *dir = getenv("SCRC_TEST_DATA");
	size_t i;

	(void)state;
	if (dir == NULL)
		dir = "tests/data";
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *path = xasprintf("%s/json/%s", dir, files[i].file);
		FILE *f = fopen(path, "rb");
		struct buf b;
		char chunk[4096], err[256];
		size_t n;
		struct json_doc *doc;

		if (f == NULL)
			fail_msg("cannot open %s (set SCRC_TEST_DATA)", path);
		buf_init(&b);
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_append(&b, chunk, n);
		fclose(f);
		if (json_parse(b.data, b.len, &doc, err, sizeof err) != files[i].rc)
			fail_msg("%s: unexpected result (%s)", path, err);
		json_free(doc);
		buf_free(&b);
		free(path);
	}
}

int
main(void)
{
	size_t i;

#define ADD_TABLE(tab, fn, namefield) \
	for (i = 0; i < sizeof tab / sizeof tab[0]; i++) \
		add(namefield, fn, &tab[i])

	ADD_TABLE(parse_cases, test_parse, parse_cases[i].name);
	ADD_TABLE(depth_cases, test_depth, xasprintf("depth %d", depth_cases[i].arrays + 1));
	ADD_TABLE(tokens_cases, test_tokens, xasprintf("tokens %zu", tokens_cases[i].ntok));
	ADD_TABLE(getter_cases, test_getter, xasprintf("getter %s #%zu", getter_cases[i].key, i));
	ADD_TABLE(lookup_cases, test_lookup, xasprintf("lookup %s in %s", lookup_cases[i].key,
	    lookup_cases[i].text));
	ADD_TABLE(write_cases, test_write, write_cases[i].name);
	add("wide object", test_wide_object, NULL);
	add("every prefix rejected", test_prefixes, NULL);
	add("mutations", test_mutations, NULL);
	add("duplicate keys: last wins", test_duplicates, NULL);
	add("walk", test_walk, NULL);
	add("write every byte", test_write_every_byte, NULL);
	add("write random bytes", test_write_random, NULL);
	add("structured writer", test_writer, NULL);
	ADD_TABLE(cut_cases, test_cut, cut_cases[i].name);
	add("cut random bytes", test_cut_random, NULL);
	add("data files", test_data_files, NULL);
	return _cmocka_run_group_tests("json", all, nall, NULL, NULL);
}
