/*
 * checker.h - deciding whether a program's stdout is an accepted answer:
 * "exact" (byte for byte), "lines", "tokens" and "float:EPS" (PROTOCOL.md).
 * Checkers read both texts in place, in one linear pass, and treat NUL
 * bytes as ordinary data.
 */
#ifndef SCRC_CHECKER_H
#define SCRC_CHECKER_H

#include <stddef.h>

enum checker_kind {
	CHECKER_EXACT,		/* byte for byte */
	CHECKER_LINES,		/* per line, ignoring trailing blanks and blank lines at the end */
	CHECKER_TOKENS,		/* whitespace-separated tokens */
	CHECKER_FLOAT,		/* tokens; numbers equal within eps */
};

#define CHECKER_DEFAULT_EPS	1e-6

struct checker {
	enum checker_kind	kind;
	double			eps;	/* CHECKER_FLOAT only */
};

/*
 * Parses a spec: "exact", "lines", "tokens", "float" (eps 1e-6) or
 * "float:EPS" with EPS a finite number >= 0. A NULL spec means "exact".
 * Returns 0, or -1 with errstr saying what is wrong.
 */
int	checker_parse(const char *spec, struct checker *c, char *errstr,
	    size_t errstr_size);

/*
 * Returns 1 when out[0..out_len) is accepted against exp[0..exp_len), else 0.
 *  lines:  "\r\n" counts as "\n"; each line's trailing blanks (space, \t,
 *          \r, \v, \f) and any blank lines at the end are ignored.
 *  tokens: tokens are maximal runs of non-blank bytes (blank: space, \t,
 *          \n, \r, \v, \f); the sequences must be equal.
 *  float:  as tokens, but two tokens that both read entirely as finite
 *          decimal numbers (strtod, no hex, at most 1024 bytes) are equal
 *          when |a-b| <= eps or |a-b| <= eps * max(|a|,|b|). Anything else
 *          (nan, inf, 1e999, words) must match byte for byte.
 */
int	checker_accepts(const struct checker *c, const char *out, size_t out_len,
	    const char *exp, size_t exp_len);

/* The spec string for c ("exact", "float:1e-06", ...) into out. */
void	checker_format(const struct checker *c, char *out, size_t out_size);

#endif
