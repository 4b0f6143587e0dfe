/*
 * test_checker.c - checker specs and verdicts, one cmocka test per row:
 * every checker on empty texts, newlines, trailing blanks, CRLF, NUL
 * bytes, NaN/inf tokens, absolute and relative epsilons; and 16 MiB inputs
 * that must be judged in linear time.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checker.h"
#include "util.h"

#define B(s)	s, sizeof(s) - 1

#include "rows.h"

struct spec_case {
	const char		*spec;
	int			 rc;
	enum checker_kind	 kind;
	double			 eps;
};

static const struct spec_case spec_cases[] = {
	{ NULL, 0, CHECKER_EXACT, 0 },
	{ "exact", 0, CHECKER_EXACT, 0 },
	{ "lines", 0, CHECKER_LINES, 0 },
	{ "tokens", 0, CHECKER_TOKENS, 0 },
	{ "float", 0, CHECKER_FLOAT, 1e-6 },
	{ "float:1e-9", 0, CHECKER_FLOAT, 1e-9 },
	{ "float:0.5", 0, CHECKER_FLOAT, 0.5 },
	{ "float:0", 0, CHECKER_FLOAT, 0 },
	{ "float:3", 0, CHECKER_FLOAT, 3 },
	{ "", -1, CHECKER_EXACT, 0 },
	{ "Exact", -1, CHECKER_EXACT, 0 },
	{ "exact ", -1, CHECKER_EXACT, 0 },
	{ "diff", -1, CHECKER_EXACT, 0 },
	{ "float:", -1, CHECKER_EXACT, 0 },
	{ "float:-1", -1, CHECKER_EXACT, 0 },
	{ "float:-0", -1, CHECKER_EXACT, 0 },
	{ "float:+1", -1, CHECKER_EXACT, 0 },
	{ "float:abc", -1, CHECKER_EXACT, 0 },
	{ "float:1e-3x", -1, CHECKER_EXACT, 0 },
	{ "float: 1", -1, CHECKER_EXACT, 0 },
	{ "float:nan", -1, CHECKER_EXACT, 0 },
	{ "float:inf", -1, CHECKER_EXACT, 0 },
	{ "float:1e999", -1, CHECKER_EXACT, 0 },
	{ "float:1:2", -1, CHECKER_EXACT, 0 },
	{ "floaty", -1, CHECKER_EXACT, 0 },
};

static void
test_spec(void **state)
{
	const struct spec_case *c = *state;
	struct checker chk;
	char err[256] = "";
	char fmt[64];

	assert_int_equal(checker_parse(c->spec, &chk, err, sizeof err), c->rc);
	if (c->rc != 0) {
		assert_true(err[0] != '\0');
		return;
	}
	assert_int_equal(chk.kind, c->kind);
	if (c->kind == CHECKER_FLOAT) {
		struct checker again;

		assert_true(chk.eps == c->eps);
		/* checker_format gives a spec that parses back to the same checker */
		checker_format(&chk, fmt, sizeof fmt);
		assert_int_equal(checker_parse(fmt, &again, err, sizeof err), 0);
		assert_int_equal(again.kind, CHECKER_FLOAT);
		assert_true(again.eps == c->eps);
	}
}

struct verdict_case {
	const char	*spec;
	const char	*out;
	size_t		 out_len;
	const char	*exp;
	size_t		 exp_len;
	int		 accepted;
};

static const struct verdict_case verdict_cases[] = {
	/* exact */
	{ "exact", B(""), B(""), 1 },
	{ "exact", B("5\n"), B("5\n"), 1 },
	{ "exact", B("5"), B("5\n"), 0 },
	{ "exact", B(""), B("\n"), 0 },
	{ "exact", B("5 \n"), B("5\n"), 0 },
	{ "exact", B("5\r\n"), B("5\n"), 0 },
	{ "exact", B("a\0b"), B("a\0b"), 1 },
	{ "exact", B("a\0b"), B("a\0c"), 0 },
	{ "exact", B("a\0"), B("a"), 0 },

	/* lines */
	{ "lines", B(""), B(""), 1 },
	{ "lines", B(""), B("\n"), 1 },
	{ "lines", B("\n\n\n"), B(""), 1 },
	{ "lines", B("5"), B("5\n"), 1 },
	{ "lines", B("5  \t\n"), B("5\n"), 1 },
	{ "lines", B("5\r\n"), B("5\n"), 1 },
	{ "lines", B("1\r\n2\r\n"), B("1\n2"), 1 },
	{ "lines", B("1\n2\n\n\n"), B("1\n2\n"), 1 },
	{ "lines", B("1\n2\n \n\t\n"), B("1\n2"), 1 },
	{ "lines", B("1\n\n2\n"), B("1\n2\n"), 0 },	/* inner blank lines count */
	{ "lines", B(" 5\n"), B("5\n"), 0 },		/* leading blanks count */
	{ "lines", B("1 2\n"), B("1  2\n"), 0 },	/* inner blanks count */
	{ "lines", B("1\n2\n"), B("1\n"), 0 },
	{ "lines", B("1\n"), B("1\n2\n"), 0 },
	{ "lines", B("a\rb\n"), B("a\nb\n"), 0 },	/* a lone CR is not a line end */
	{ "lines", B("a\0\n"), B("a\n"), 0 },		/* NUL is not blank */
	{ "lines", B("a\0b\n"), B("a\0b"), 1 },
	{ "lines", B("x\n"), B(""), 0 },
	{ "lines", B(""), B("x"), 0 },

	/* tokens */
	{ "tokens", B(""), B(""), 1 },
	{ "tokens", B(""), B("\n"), 1 },
	{ "tokens", B("  \t\n"), B(""), 1 },
	{ "tokens", B("1 2 3"), B("1\n2\n3\n"), 1 },
	{ "tokens", B("\r\n1\t\v2\f3  "), B("1 2 3"), 1 },
	{ "tokens", B("1 2"), B("1 2 3"), 0 },
	{ "tokens", B("1 2 3"), B("1 2"), 0 },
	{ "tokens", B("12"), B("1 2"), 0 },
	{ "tokens", B("1.0"), B("1"), 0 },		/* strings, not numbers */
	{ "tokens", B("a\0b"), B("a\0b"), 1 },
	{ "tokens", B("a\0b"), B("a b"), 0 },

	/* float */
	{ "float", B("1.0"), B("1"), 1 },
	{ "float", B("0.1000001"), B("0.1"), 1 },	/* |d| = 1e-7 */
	{ "float", B("0.100002"), B("0.1"), 0 },
	{ "float:0.01", B("1.005"), B("1"), 1 },	/* absolute */
	{ "float:0.01", B("1.02"), B("1"), 0 },
	{ "float:0.01", B("1000005"), B("1000000"), 1 },	/* relative: 5 <= 0.01 * 1e6 */
	{ "float:0.01", B("1020000"), B("1000000"), 0 },
	{ "float:1e-9", B("1e20"), B("1.0000000001e20"), 1 },
	{ "float:1e-9", B("-3"), B("3"), 0 },
	{ "float:0", B("2.50"), B("2.5"), 1 },
	{ "float:0", B("2.5000001"), B("2.5"), 0 },
	{ "float", B("-0"), B("0"), 1 },
	{ "float", B("1e0"), B("1"), 1 },
	{ "float", B("nan"), B("nan"), 1 },		/* equal as strings */
	{ "float", B("nan"), B("NaN"), 0 },
	{ "float", B("inf"), B("inf"), 1 },
	{ "float", B("inf"), B("1e999"), 0 },		/* 1e999 overflows: a string */
	{ "float", B("1e999"), B("1e999"), 1 },
	{ "float", B("0x10"), B("16"), 0 },		/* hex is not a number here */
	{ "float", B("1.0 abc 2"), B("1 abc 2.0000000001"), 1 },
	{ "float", B("1.0 abc 2"), B("1 abd 2"), 0 },
	{ "float", B("1,5"), B("1.5"), 0 },
	{ "float", B("1 2"), B("1"), 0 },
	{ "float", B(""), B("\n"), 1 },
	{ "float", B("1.5\n"), B("1.5 0"), 0 },
	{ "float:1", B("1e308 -1e308"), B("-1e308 1e308"), 0 },	/* difference overflows */
	{ "float", B("1.000000000000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000000000000000"
	    "0000000000000000000000000000000000000000000000000000000000000000000000000001"),
	    B("1"), 1 },				/* a long numeric token */
};

static void
test_verdict(void **state)
{
	const struct verdict_case *c = *state;
	struct checker chk;
	char err[256];
	char *out = xmemdup(c->out, c->out_len);	/* exact size for ASan */
	char *exp = xmemdup(c->exp, c->exp_len);

	assert_int_equal(checker_parse(c->spec, &chk, err, sizeof err), 0);
	assert_int_equal(checker_accepts(&chk, out, c->out_len, exp, c->exp_len), c->accepted);
	free(out);
	free(exp);
}

/* 16 MiB on each side: accepted when equal, rejected for one byte at the end. */
static void
test_huge(void **state)
{
	static const char *const specs[] = { "exact", "lines", "tokens", "float:1e-6" };
	const size_t n = 16u << 20;
	char *a = xmalloc(n), *b = xmalloc(n);
	size_t i, k;

	(void)state;
	for (i = 0; i < n; i++) {
		static const char pat[] = "3.25 17\n-1e3 x\n";

		a[i] = pat[i % (sizeof pat - 1)];
	}
	/* A line ends at the very end of the text. */
	a[n - 1] = '\n';
	memcpy(b, a, n);
	for (k = 0; k < sizeof specs / sizeof specs[0]; k++) {
		struct checker chk;
		char err[64];
		int64_t t0 = util_now_ms();

		assert_int_equal(checker_parse(specs[k], &chk, err, sizeof err), 0);
		assert_int_equal(checker_accepts(&chk, a, n, b, n), 1);
		b[n - 2] = b[n - 2] == 'x' ? 'y' : 'x';
		assert_int_equal(checker_accepts(&chk, a, n, b, n), 0);
		b[n - 2] = a[n - 2];
		/* One long line / one long token. */
		assert_int_equal(checker_accepts(&chk, a, 1, b, 1), 1);
		assert_true(util_now_ms() - t0 < 3000);
	}
	/* A single 16 MiB token and a single 16 MiB line. */
	memset(a, '7', n);
	memcpy(b, a, n);
	for (k = 0; k < sizeof specs / sizeof specs[0]; k++) {
		struct checker chk;
		char err[64];
		int64_t t0 = util_now_ms();

		assert_int_equal(checker_parse(specs[k], &chk, err, sizeof err), 0);
		assert_int_equal(checker_accepts(&chk, a, n, b, n), 1);
		assert_int_equal(checker_accepts(&chk, a, n, b, n - 1), 0);
		assert_true(util_now_ms() - t0 < 3000);
	}
	free(a);
	free(b);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof spec_cases / sizeof spec_cases[0]; i++)
		add(xasprintf("spec \"%s\"", spec_cases[i].spec ? spec_cases[i].spec : "(null)"),
		    test_spec, &spec_cases[i]);
	for (i = 0; i < sizeof verdict_cases / sizeof verdict_cases[0]; i++)
		add(xasprintf("%s #%zu", verdict_cases[i].spec, i), test_verdict,
		    &verdict_cases[i]);
	add("16 MiB inputs", test_huge, NULL);
	return _cmocka_run_group_tests("checker", all, nall, NULL, NULL);
}
