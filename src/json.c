/*
 * json.c - the one place jsmn is compiled, and the checks around it.
 *
 * jsmn (1.1.0, strict mode, parent links) finds the tokens; it is lenient
 * about separators ({"a" "b"}, [1 2], trailing commas), number and literal
 * spelling (tru, 01, 1.2.3), control bytes in strings, trailing garbage,
 * and it stops at a NUL byte. So before jsmn runs, a linear pre-scan
 * rejects NUL bytes and nesting beyond JSON_MAX_DEPTH (jsmn's bracket
 * matching is quadratic in depth); after it runs, a walk over the token
 * tree checks the text between tokens against the grammar, every literal,
 * number and string escape, and that nothing follows the root.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parent links make closing brackets and commas O(1) instead of a rescan. */
#define JSMN_STRICT
#define JSMN_PARENT_LINKS
#define JSMN_STATIC
#include <jsmn.h>

#include "json.h"

struct json_tok {
	enum json_type	type;
	int		start;	/* strings: the first byte after the quote */
	int		end;	/* strings: the closing quote; others: one past */
	int		size;	/* elements, or members of an object */
	int		next;	/* index just past the subtree */
};

struct json_doc {
	const char	*text;
	size_t		 len;
	struct json_tok	*tok;
	int		 ntok;
};

static int	json_prescan(const char *, size_t, char *, size_t);
static int	json_tokenize(const char *, size_t, jsmntok_t **, int *, char *, size_t);
static int	json_check(struct json_doc *, const jsmntok_t *, int, int, char *, size_t);
static int	json_check_number(const char *, size_t);
static int	json_decode(const char *, size_t, struct buf *, size_t *, const char **);
static size_t	json_skip_ws(const char *, size_t, size_t);
static size_t	json_raw_start(const jsmntok_t *);
static size_t	json_raw_end(const jsmntok_t *);
static int	json_hex4(const char *);
static size_t	json_utf8_seq(const unsigned char *, size_t, size_t *);
static size_t	json_escape(struct buf *, const char *, size_t, size_t, size_t *);
static void	json_value_prefix(struct json_writer *);

static int
json_is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t
json_skip_ws(const char *s, size_t len, size_t pos)
{
	while (pos < len && json_is_ws(s[pos]))
		pos++;
	return pos;
}

/*
 * One pass over the raw text, tracking strings only well enough to know
 * which brackets count: rejects NUL bytes and excessive nesting before
 * jsmn sees them.
 */
static int
json_prescan(const char *s, size_t len, char *errstr, size_t errstr_size)
{
	size_t i;
	int depth = 0, in_str = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\0') {
			util_seterr(errstr, errstr_size, "NUL byte at offset %zu", i);
			return -1;
		}
		if (in_str) {
			if (c == '\\')
				i++;	/* an escaped NUL is rejected by jsmn */
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > JSON_MAX_DEPTH) {
				util_seterr(errstr, errstr_size,
				    "nesting deeper than %d levels at offset %zu",
				    JSON_MAX_DEPTH, i);
				return -1;
			}
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 0;
}

/* Runs jsmn, growing the token array up to JSON_MAX_TOKENS. */
static int
json_tokenize(const char *s, size_t len, jsmntok_t **out, int *ntok, char *errstr,
    size_t errstr_size)
{
	jsmn_parser p;
	jsmntok_t *t;
	unsigned int n = 64;
	int r;

	t = xmalloc(n * sizeof *t);
	jsmn_init(&p);
	for (;;) {
		r = jsmn_parse(&p, s, len, t, n);
		if (r != JSMN_ERROR_NOMEM)
			break;
		if (n >= JSON_MAX_TOKENS) {
			util_seterr(errstr, errstr_size, "more than %d tokens",
			    JSON_MAX_TOKENS);
			free(t);
			return -1;
		}
		n *= 2;
		if (n > JSON_MAX_TOKENS)
			n = JSON_MAX_TOKENS;
		t = xrealloc(t, n * sizeof *t);
	}
	if (r == JSMN_ERROR_INVAL) {
		util_seterr(errstr, errstr_size, "unexpected character at offset %u", p.pos);
	} else if (r == JSMN_ERROR_PART) {
		util_seterr(errstr, errstr_size, "unexpected end of input at offset %u",
		    p.pos);
	} else if (r < 0) {
		util_seterr(errstr, errstr_size, "parse error %d at offset %u", r, p.pos);
	} else if (r == 0) {
		util_seterr(errstr, errstr_size, "empty document");
	} else {
		*out = t;
		*ntok = r;
		return 0;
	}
	free(t);
	return -1;
}

/* Where a token's text starts and ends, quotes included. */
static size_t
json_raw_start(const jsmntok_t *t)
{
	return (size_t)(t->type == JSMN_STRING ? t->start - 1 : t->start);
}

static size_t
json_raw_end(const jsmntok_t *t)
{
	return (size_t)(t->type == JSMN_STRING ? t->end + 1 : t->end);
}

/* A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? exactly. */
static int
json_check_number(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0') {
		i++;
	} else {
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return -1;
	}
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return -1;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == d)
			return -1;
	}
	return i == n ? 0 : -1;
}

static int
json_hex4(const char *s)
{
	int i, v = 0;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void
json_put_utf8(struct buf *b, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(b, u, n);
}

/*
 * Checks the contents of a string token (between the quotes) and, when out
 * is not NULL, appends the decoded bytes. On error sets *errpos (relative
 * to s) and *why.
 */
static int
json_decode(const char *s, size_t n, struct buf *out, size_t *errpos, const char **why)
{
	size_t i = 0, run = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		int cp, lo;

		if (c >= 0x20 && c != '\\') {
			i++;
			run++;
			continue;
		}
		if (out != NULL && run > 0)
			buf_append(out, s + i - run, run);
		run = 0;
		*errpos = i;
		if (c < 0x20) {
			*why = "control character in string";
			return -1;
		}
		if (i + 1 >= n) {
			*why = "bad escape";
			return -1;
		}
		c = (unsigned char)s[i + 1];
		if (c != 'u') {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *p = c != '\0' ? strchr(from, c) : NULL;

			if (p == NULL) {
				*why = "bad escape";
				return -1;
			}
			if (out != NULL)
				buf_putc(out, to[p - from]);
			i += 2;
			continue;
		}
		if (i + 6 > n || (cp = json_hex4(s + i + 2)) < 0) {
			*why = "bad \\u escape";
			return -1;
		}
		i += 6;
		if (cp >= 0xDC00 && cp <= 0xDFFF) {
			*why = "lone low surrogate";
			return -1;
		}
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u' ||
			    (lo = json_hex4(s + i + 2)) < 0 || lo < 0xDC00 || lo > 0xDFFF) {
				*why = "lone high surrogate";
				return -1;
			}
			i += 6;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		}
		if (out != NULL)
			json_put_utf8(out, (unsigned long)cp);
	}
	if (out != NULL && run > 0)
		buf_append(out, s + i - run, run);
	return 0;
}

/*
 * Checks token i (at nesting level depth) and everything under it against
 * the text, fills doc->tok[i..], and returns the index past its subtree,
 * or -1.
 */
static int
json_check(struct json_doc *doc, const jsmntok_t *t, int ntok, int i, char *errstr,
    size_t errstr_size)
{
	const char *s = doc->text;
	size_t len = doc->len, pos, errpos;
	const char *why;
	struct json_tok *o = &doc->tok[i];
	int k, j, members, closer;

	o->start = t[i].start;
	o->end = t[i].end;
	o->size = t[i].size;
	switch (t[i].type) {
	case JSMN_STRING:
		if (t[i].size != 0)
			goto unexpected;
		if (json_decode(s + t[i].start, (size_t)(t[i].end - t[i].start), NULL,
		    &errpos, &why) != 0) {
			util_seterr(errstr, errstr_size, "%s at offset %zu", why,
			    (size_t)t[i].start + errpos);
			return -1;
		}
		o->type = JSON_STRING;
		o->next = i + 1;
		return i + 1;
	case JSMN_PRIMITIVE: {
		const char *p = s + t[i].start;
		size_t n = (size_t)(t[i].end - t[i].start);

		if (t[i].size != 0)
			goto unexpected;
		if ((n == 4 && memcmp(p, "true", 4) == 0) ||
		    (n == 5 && memcmp(p, "false", 5) == 0))
			o->type = JSON_BOOL;
		else if (n == 4 && memcmp(p, "null", 4) == 0)
			o->type = JSON_NULL;
		else if (json_check_number(p, n) == 0)
			o->type = JSON_NUMBER;
		else {
			util_seterr(errstr, errstr_size, "bad literal at offset %d",
			    t[i].start);
			return -1;
		}
		o->next = i + 1;
		return i + 1;
	}
	case JSMN_OBJECT:
	case JSMN_ARRAY:
		break;
	default:
		goto unexpected;
	}

	o->type = t[i].type == JSMN_OBJECT ? JSON_OBJECT : JSON_ARRAY;
	closer = t[i].type == JSMN_OBJECT ? '}' : ']';
	members = t[i].size;
	pos = (size_t)t[i].start + 1;
	j = i + 1;
	for (k = 0; k < members; k++) {
		pos = json_skip_ws(s, len, pos);
		if (k > 0) {
			if (pos >= len || s[pos] != ',')
				goto sep;
			pos = json_skip_ws(s, len, pos + 1);
		}
		if (j >= ntok || t[j].parent != i || json_raw_start(&t[j]) != pos)
			goto sep;
		if (t[i].type == JSMN_OBJECT) {
			/* The key: a string carrying exactly its one value. */
			if (t[j].type != JSMN_STRING || t[j].size != 1)
				goto sep;
			if (json_decode(s + t[j].start, (size_t)(t[j].end - t[j].start),
			    NULL, &errpos, &why) != 0) {
				util_seterr(errstr, errstr_size, "%s at offset %zu", why,
				    (size_t)t[j].start + errpos);
				return -1;
			}
			doc->tok[j].type = JSON_STRING;
			doc->tok[j].start = t[j].start;
			doc->tok[j].end = t[j].end;
			doc->tok[j].size = 0;
			doc->tok[j].next = j + 1;
			pos = json_skip_ws(s, len, json_raw_end(&t[j]));
			if (pos >= len || s[pos] != ':')
				goto sep;
			pos = json_skip_ws(s, len, pos + 1);
			j++;
			if (j >= ntok || t[j].parent != j - 1 || json_raw_start(&t[j]) != pos)
				goto sep;
		}
		pos = json_raw_end(&t[j]);
		j = json_check(doc, t, ntok, j, errstr, errstr_size);
		if (j < 0)
			return -1;
	}
	pos = json_skip_ws(s, len, pos);
	if (pos >= len || s[pos] != closer || (size_t)t[i].end != pos + 1)
		goto sep;
	o->next = j;
	return j;

sep:
	util_seterr(errstr, errstr_size, "malformed %s near offset %zu",
	    t[i].type == JSMN_OBJECT ? "object" : "array", pos);
	return -1;
unexpected:
	util_seterr(errstr, errstr_size, "unexpected token at offset %d", t[i].start);
	return -1;
}

int
json_parse(const char *text, size_t len, struct json_doc **out, char *errstr,
    size_t errstr_size)
{
	struct json_doc *doc;
	jsmntok_t *t;
	size_t pos;
	int ntok, end;

	*out = NULL;
	if (len > JSON_MAX_LEN) {
		util_seterr(errstr, errstr_size, "document longer than %u bytes", JSON_MAX_LEN);
		return -1;
	}
	pos = json_skip_ws(text, len, 0);
	if (pos == len) {
		util_seterr(errstr, errstr_size, "empty document");
		return -1;
	}
	if (json_prescan(text, len, errstr, errstr_size) != 0)
		return -1;
	/* jsmn (strict) cannot end a document on a bare literal: do it here. */
	if (strchr("{[\"", text[pos]) == NULL) {
		size_t stop = len;

		while (stop > pos && json_is_ws(text[stop - 1]))
			stop--;
		if (json_check_number(text + pos, stop - pos) == 0 ||
		    (stop - pos == 4 && memcmp(text + pos, "true", 4) == 0) ||
		    (stop - pos == 5 && memcmp(text + pos, "false", 5) == 0) ||
		    (stop - pos == 4 && memcmp(text + pos, "null", 4) == 0)) {
			util_seterr(errstr, errstr_size, "not a JSON object");
			return JSON_ENOTOBJ;
		}
		util_seterr(errstr, errstr_size, "unexpected character at offset %zu", pos);
		return -1;
	}
	if (json_tokenize(text, len, &t, &ntok, errstr, errstr_size) != 0)
		return -1;

	doc = xcalloc(1, sizeof *doc);
	doc->text = text;
	doc->len = len;
	doc->ntok = ntok;
	doc->tok = xcalloc((size_t)ntok, sizeof *doc->tok);
	end = json_check(doc, t, ntok, 0, errstr, errstr_size);
	if (end >= 0 && (end != ntok || json_skip_ws(text, len, json_raw_end(&t[0])) != len)) {
		util_seterr(errstr, errstr_size, "trailing data at offset %zu",
		    json_raw_end(&t[0]));
		end = -1;
	}
	free(t);
	if (end < 0) {
		json_free(doc);
		return -1;
	}
	if (doc->tok[0].type != JSON_OBJECT) {
		json_free(doc);
		util_seterr(errstr, errstr_size, "not a JSON object");
		return JSON_ENOTOBJ;
	}
	*out = doc;
	return 0;
}

void
json_free(struct json_doc *doc)
{
	if (doc == NULL)
		return;
	free(doc->tok);
	free(doc);
}

int
json_ntokens(const struct json_doc *doc)
{
	return doc->ntok;
}

enum json_type
json_type(const struct json_doc *doc, int tok)
{
	return doc->tok[tok].type;
}

const char *
json_type_name(enum json_type type)
{
	switch (type) {
	case JSON_OBJECT:
		return "object";
	case JSON_ARRAY:
		return "array";
	case JSON_STRING:
		return "string";
	case JSON_NUMBER:
		return "number";
	case JSON_BOOL:
		return "boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

size_t
json_size(const struct json_doc *doc, int tok)
{
	const struct json_tok *t = &doc->tok[tok];

	if (t->type != JSON_OBJECT && t->type != JSON_ARRAY)
		return 0;
	return (size_t)t->size;
}

int
json_first(const struct json_doc *doc, int tok)
{
	return json_size(doc, tok) > 0 ? tok + 1 : -1;
}

int
json_next(const struct json_doc *doc, int tok)
{
	return doc->tok[tok].next;
}

int
json_skip(const struct json_doc *doc, int tok)
{
	return doc->tok[tok].next - tok;
}

/* Compares a key token with key: by length first, unescaping only if needed. */
static int
json_key_equals(const struct json_doc *doc, int tok, const char *key, size_t klen)
{
	const struct json_tok *t = &doc->tok[tok];
	const char *raw = doc->text + t->start;
	size_t rlen = (size_t)(t->end - t->start), errpos;
	const char *why;
	struct buf b;
	int eq;

	if (memchr(raw, '\\', rlen) == NULL)
		return rlen == klen && memcmp(raw, key, klen) == 0;
	/* An escape shrinks the text, so a raw key shorter than key cannot match. */
	if (rlen < klen)
		return 0;
	buf_init(&b);
	eq = json_decode(raw, rlen, &b, &errpos, &why) == 0 && b.len == klen &&
	    (klen == 0 || memcmp(b.data, key, klen) == 0);
	buf_free(&b);
	return eq;
}

int
json_object_get(const struct json_doc *doc, int obj, const char *key)
{
	size_t n, k, klen = strlen(key);
	int t, found = -1;

	if (obj < 0 || obj >= doc->ntok || doc->tok[obj].type != JSON_OBJECT)
		return -1;
	n = json_size(doc, obj);
	for (k = 0, t = obj + 1; k < n; k++) {
		if (json_key_equals(doc, t, key, klen))
			found = t + 1;
		t = json_next(doc, t + 1);
	}
	return found;
}

int
json_get_string(const struct json_doc *doc, int tok, char **out, size_t *len)
{
	const struct json_tok *t = &doc->tok[tok];
	struct buf b;
	size_t errpos;
	const char *why;

	if (t->type != JSON_STRING)
		return JSON_ETYPE;
	buf_init(&b);
	/* Checked by json_parse, so this cannot fail. */
	(void)json_decode(doc->text + t->start, (size_t)(t->end - t->start), &b, &errpos,
	    &why);
	*out = buf_steal(&b, len);
	return 0;
}

int
json_get_int64(const struct json_doc *doc, int tok, int64_t *out)
{
	const struct json_tok *t = &doc->tok[tok];
	const char *p = doc->text + t->start;
	size_t n = (size_t)(t->end - t->start), i = 0;
	uint64_t v = 0, limit;
	int neg = 0;

	if (t->type != JSON_NUMBER)
		return JSON_ETYPE;
	if (p[0] == '-') {
		neg = 1;
		i = 1;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned d;

		if (p[i] < '0' || p[i] > '9')
			return JSON_ERANGE;	/* a fraction or an exponent */
		d = (unsigned)(p[i] - '0');
		if (v > (limit - d) / 10)
			return JSON_ERANGE;
		v = v * 10 + d;
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

int
json_get_double(const struct json_doc *doc, int tok, double *out)
{
	const struct json_tok *t = &doc->tok[tok];
	char tmp[64], *end;
	size_t n = (size_t)(t->end - t->start);

	if (t->type != JSON_NUMBER)
		return JSON_ETYPE;
	/* The tokenizer checked the syntax; strtod needs a terminated copy. */
	if (n >= sizeof tmp)
		return JSON_ERANGE;
	memcpy(tmp, doc->text + t->start, n);
	tmp[n] = '\0';
	*out = strtod(tmp, &end);
	if (*end != '\0' || !isfinite(*out))
		return JSON_ERANGE;
	return 0;
}

int
json_get_bool(const struct json_doc *doc, int tok, int *out)
{
	const struct json_tok *t = &doc->tok[tok];

	if (t->type != JSON_BOOL)
		return JSON_ETYPE;
	*out = doc->text[t->start] == 't';
	return 0;
}

int
json_is_null(const struct json_doc *doc, int tok)
{
	return doc->tok[tok].type == JSON_NULL;
}

/*
 * Length of the well-formed UTF-8 sequence at s[i] (2..4), or 0 when there
 * is none; *bad is then the length of the maximal ill-formed prefix to
 * replace by one U+FFFD (at least 1), following Unicode's recommendation.
 */
static size_t
json_utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, k;

	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		if (c == 0xE0)
			lo = 0xA0;	/* overlong */
		else if (c == 0xED)
			hi = 0x9F;	/* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		if (c == 0xF0)
			lo = 0x90;	/* overlong */
		else if (c == 0xF4)
			hi = 0x8F;	/* above U+10FFFF */
	} else {
		*bad = 1;
		return 0;
	}
	for (k = 1; k <= need; k++) {
		if (k >= n || s[k] < lo || s[k] > hi) {
			*bad = k;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	return need + 1;
}

/*
 * Escapes s into b (NULL: only count); returns the bytes it (would) append.
 * Stops before the character that would take the decoded string past cap
 * bytes (an escape decodes to its one byte, a replacement to U+FFFD's 3);
 * *kept (may be NULL) gets how many bytes of s were consumed.
 */
static size_t
json_escape(struct buf *b, const char *s, size_t len, size_t cap, size_t *kept)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, total = 0, used = 0;

	while (i < len) {
		unsigned char c = u[i];
		const char *esc = NULL;
		char ubuf[7];
		size_t n, bad = 1;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			if (used == cap)
				break;
			used++;
			i++;
			run++;
			continue;
		}
		if (c >= 0x80 && (n = json_utf8_seq(u + i, len - i, &bad)) > 0) {
			if (n > cap - used)
				break;
			used += n;
			i += n;
			run += n;
			continue;
		}
		if ((size_t)(c >= 0x80 ? 3 : 1) > cap - used)
			break;
		used += c >= 0x80 ? 3 : 1;
		if (b != NULL && run > 0)
			buf_append(b, s + i - run, run);
		total += run;
		run = 0;
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		}
		if (c >= 0x80) {
			esc = "\xEF\xBF\xBD";
			i += bad;
		} else {
			if (esc == NULL) {
				memcpy(ubuf, "\\u00", 4);
				ubuf[4] = hex[c >> 4];
				ubuf[5] = hex[c & 0xF];
				ubuf[6] = '\0';
				esc = ubuf;
			}
			i++;
		}
		n = strlen(esc);
		if (b != NULL)
			buf_append(b, esc, n);
		total += n;
	}
	if (b != NULL && run > 0)
		buf_append(b, s + i - run, run);
	if (kept != NULL)
		*kept = i;
	return total + run;
}

void
json_write_string(struct buf *b, const char *s, size_t len)
{
	buf_putc(b, '"');
	json_escape(b, s, len, SIZE_MAX, NULL);
	buf_putc(b, '"');
}

size_t
json_string_len(const char *s, size_t len)
{
	return json_escape(NULL, s, len, SIZE_MAX, NULL) + 2;
}

size_t
json_cut(const char *s, size_t len, size_t cap, size_t *written)
{
	size_t kept, n;

	/* No byte stands for more than U+FFFD's three. */
	if (written == NULL && len <= cap / 3)
		return len;
	n = json_escape(NULL, s, len, cap, &kept);
	if (written != NULL)
		*written = n + 2;
	return kept;
}

void
json_writer_init(struct json_writer *w, struct buf *b)
{
	w->buf = b;
	w->depth = 0;
	w->nonempty = 0;
	w->after_key = 0;
}

/* Puts the comma a value needs, unless it follows its key. */
static void
json_value_prefix(struct json_writer *w)
{
	uint64_t bit;

	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	bit = (uint64_t)1 << (w->depth - 1);
	if (w->nonempty & bit)
		buf_putc(w->buf, ',');
	w->nonempty |= bit;
}

static void
json_open(struct json_writer *w, char c)
{
	if (w->depth >= JSON_MAX_DEPTH)
		abort();
	json_value_prefix(w);
	buf_putc(w->buf, c);
	w->depth++;
	w->nonempty &= ~((uint64_t)1 << (w->depth - 1));
}

static void
json_close(struct json_writer *w, char c)
{
	if (w->depth <= 0 || w->after_key)
		abort();
	w->depth--;
	buf_putc(w->buf, c);
}

void
json_obj_begin(struct json_writer *w)
{
	json_open(w, '{');
}

void
json_obj_end(struct json_writer *w)
{
	json_close(w, '}');
}

void
json_arr_begin(struct json_writer *w)
{
	json_open(w, '[');
}

void
json_arr_end(struct json_writer *w)
{
	json_close(w, ']');
}

void
json_key(struct json_writer *w, const char *key)
{
	if (w->after_key)
		abort();
	json_value_prefix(w);
	json_write_string(w->buf, key, strlen(key));
	buf_putc(w->buf, ':');
	w->after_key = 1;
}

void
json_str(struct json_writer *w, const char *s, size_t len)
{
	json_value_prefix(w);
	json_write_string(w->buf, s, len);
}

void
json_cstr(struct json_writer *w, const char *s)
{
	json_str(w, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

void
json_int(struct json_writer *w, int64_t v)
{
	json_value_prefix(w);
	buf_printf(w->buf, "%lld", (long long)v);
}

void
json_double(struct json_writer *w, double v)
{
	char tmp[40];

	if (!isfinite(v))
		v = 0;
	/* %g is C-locale here and never writes a bare "." or a leading "+". */
	snprintf(tmp, sizeof tmp, "%.10g", v);
	json_value_prefix(w);
	buf_puts(w->buf, tmp);
}

void
json_bool(struct json_writer *w, int v)
{
	json_value_prefix(w);
	buf_puts(w->buf, v ? "true" : "false");
}

void
json_null(struct json_writer *w)
{
	json_value_prefix(w);
	buf_puts(w->buf, "null");
}
