/*
 * checker.c - output checkers. Each walks both texts once, side by side,
 * looking at lines or tokens in place: a 16 MiB output costs one pass and
 * no copy (float copies only short numeric-looking tokens, for strtod).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "util.h"

#define CHECKER_MAX_NUMBER	1024	/* longest token read as a number */

static int	checker_lines(const char *, size_t, const char *, size_t);
static int	checker_tokens(const char *, size_t, const char *, size_t, const struct checker *);
static int	checker_number(const char *, size_t, double *);

int
checker_parse(const char *spec, struct checker *c, char *errstr, size_t errstr_size)
{
	c->kind = CHECKER_EXACT;
	c->eps = CHECKER_DEFAULT_EPS;
	if (spec == NULL || strcmp(spec, "exact") == 0)
		return 0;
	if (strcmp(spec, "lines") == 0) {
		c->kind = CHECKER_LINES;
		return 0;
	}
	if (strcmp(spec, "tokens") == 0) {
		c->kind = CHECKER_TOKENS;
		return 0;
	}
	if (strcmp(spec, "float") == 0) {
		c->kind = CHECKER_FLOAT;
		return 0;
	}
	if (strncmp(spec, "float:", 6) == 0) {
		const char *e = spec + 6;
		char *end;
		double eps;

		errno = 0;
		eps = strtod(e, &end);
		if (*e == '\0' || *end != '\0' || errno != 0 || !isfinite(eps) || eps < 0 ||
		    *e == ' ' || *e == '\t' || *e == '+' || *e == '-') {
			util_seterr(errstr, errstr_size,
			    "bad epsilon \"%s\": want a non-negative number", e);
			return -1;
		}
		c->kind = CHECKER_FLOAT;
		c->eps = eps;
		return 0;
	}
	util_seterr(errstr, errstr_size,
	    "unknown checker \"%s\" (exact, lines, tokens, float:EPS)", spec);
	return -1;
}

void
checker_format(const struct checker *c, char *out, size_t out_size)
{
	switch (c->kind) {
	case CHECKER_EXACT:
		snprintf(out, out_size, "exact");
		break;
	case CHECKER_LINES:
		snprintf(out, out_size, "lines");
		break;
	case CHECKER_TOKENS:
		snprintf(out, out_size, "tokens");
		break;
	case CHECKER_FLOAT:
		snprintf(out, out_size, "float:%g", c->eps);
		break;
	}
}

static int
checker_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The next line of s from *pos into [*ls, *le), trailing blanks dropped. */
static int
checker_next_line(const char *s, size_t n, size_t *pos, size_t *ls, size_t *le)
{
	const char *nl;
	size_t e;

	if (*pos >= n)
		return 0;
	*ls = *pos;
	nl = memchr(s + *pos, '\n', n - *pos);
	e = nl != NULL ? (size_t)(nl - s) : n;
	*pos = nl != NULL ? e + 1 : n;
	while (e > *ls && checker_blank(s[e - 1]))
		e--;
	*le = e;
	return 1;
}

static int
checker_lines(const char *a, size_t an, const char *b, size_t bn)
{
	size_t ap = 0, bp = 0, as = 0, ae = 0, bs = 0, be = 0;

	for (;;) {
		int ha = checker_next_line(a, an, &ap, &as, &ae);
		int hb = checker_next_line(b, bn, &bp, &bs, &be);

		if (!ha && !hb)
			return 1;
		/* Past the end of one side, the other may only have blank lines. */
		if (!ha) {
			if (be > bs)
				return 0;
		} else if (!hb) {
			if (ae > as)
				return 0;
		} else if (ae - as != be - bs || memcmp(a + as, b + bs, ae - as) != 0) {
			return 0;
		}
	}
}

static int
checker_next_token(const char *s, size_t n, size_t *pos, size_t *ts, size_t *te)
{
	size_t p = *pos;

	while (p < n && checker_blank(s[p]))
		p++;
	if (p >= n) {
		*pos = p;
		return 0;
	}
	*ts = p;
	while (p < n && !checker_blank(s[p]))
		p++;
	*te = p;
	*pos = p;
	return 1;
}

/*
 * Reads a whole token as a finite decimal number. Tokens longer than
 * CHECKER_MAX_NUMBER are not numbers: they are compared byte for byte, so
 * nothing big is ever copied.
 */
static int
checker_number(const char *s, size_t n, double *out)
{
	char tmp[CHECKER_MAX_NUMBER + 1], *end;
	size_t i;
	double v;

	if (n == 0 || n > CHECKER_MAX_NUMBER)
		return -1;
	/* Only decimal syntax: no hex, inf, nan or locale surprises. */
	for (i = 0; i < n; i++)
		if (strchr("0123456789+-.eE", s[i]) == NULL || s[i] == '\0')
			return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	v = strtod(tmp, &end);
	if (end != tmp + n || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int
checker_tokens(const char *a, size_t an, const char *b, size_t bn, const struct checker *c)
{
	size_t ap = 0, bp = 0, as = 0, ae = 0, bs = 0, be = 0;

	for (;;) {
		int ha = checker_next_token(a, an, &ap, &as, &ae);
		int hb = checker_next_token(b, bn, &bp, &bs, &be);
		double x, y, d, m;

		if (ha != hb)
			return 0;
		if (!ha)
			return 1;
		if (ae - as == be - bs && memcmp(a + as, b + bs, ae - as) == 0)
			continue;
		if (c->kind != CHECKER_FLOAT || checker_number(a + as, ae - as, &x) != 0 ||
		    checker_number(b + bs, be - bs, &y) != 0)
			return 0;
		/* No libm to link: fabs is a builtin, the maximum is spelled out. */
		d = fabs(x - y);
		m = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
		if (!(d <= c->eps || d <= c->eps * m))
			return 0;
	}
}

int
checker_accepts(const struct checker *c, const char *out, size_t out_len, const char *exp,
    size_t exp_len)
{
	switch (c->kind) {
	case CHECKER_EXACT:
		return out_len == exp_len && (out_len == 0 || memcmp(out, exp, out_len) == 0);
	case CHECKER_LINES:
		return checker_lines(out, out_len, exp, exp_len);
	case CHECKER_TOKENS:
	case CHECKER_FLOAT:
		return checker_tokens(out, out_len, exp, exp_len, c);
	}
	return 0;
}
