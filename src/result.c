/*
 * result.c - statuses, aggregation of per-test outcomes, and the encoding
 * of a result record that always fits the producer's message size.
 *
 * Fitting: stdout/stderr are first cut to field_cap bytes. If the record is
 * still larger than max_bytes, one common cap c applies to every big field
 * (all stdout/stderr, and the input/expected_output echoes), found by
 * halving c from the longest field until the record fits, then bisecting
 * between the last cap that failed and the first that fitted. Sizes are
 * computed, not built: size(c) = base + sum of escaped field lengths, where
 * base is the record with every big field empty and every "truncated" flag
 * at its longest, so the record built at the end is never larger than
 * predicted. If even base does not fit, tests are dropped from the end and
 * "error" says so. id, worker and error strings are themselves held to small
 * budgets, so for max_bytes >= RESULT_MIN_RECORD a record always fits.
 *
 * Caps count bytes as a reader of the record gets them: an escape as the
 * byte it stands for, a byte that is not UTF-8 as the 3 of its U+FFFD. So a
 * cut field is never longer than its cap, and never ends in a U+FFFD made
 * by cutting a character in two.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "result.h"

#define RESULT_ID_BUDGET	8192	/* escaped bytes of "id" kept: a 1 KiB id, all escaped */
#define RESULT_WORKER_BUDGET	128
#define RESULT_ERROR_BUDGET	2048	/* top-level "error" */
#define RESULT_TEST_ERROR_BUDGET 512	/* per-test "error" */
#define RESULT_REASON_BUDGET	512	/* "reason", top level and per test */
#define RESULT_GROUP_NAME_BUDGET 64	/* request.c allows 16 plain bytes */

/* How a record is to be written. */
struct result_plan {
	size_t		 field_cap;	/* stdout/stderr */
	size_t		 cap;		/* common cap on every big field; SIZE_MAX: none */
	size_t		 shown;		/* tests written */
	const char	*error;		/* top-level error as written */
	int		 worst;		/* truncated flags at their longest (estimate) */
	const char	*ts;
};

static const char *const result_names[] = {
	[RESULT_OK] = "OK",
	[RESULT_WA] = "WA",
	[RESULT_TL] = "TL",
	[RESULT_ML] = "ML",
	[RESULT_BF] = "BF",
	[RESULT_NOT_RUN] = "-",
	[RESULT_RE] = "RE",
	[RESULT_OL] = "OL",
	[RESULT_IE] = "IE",
};
#define RESULT_NSTATUS (sizeof result_names / sizeof result_names[0])

static size_t	result_cut(const char *, size_t, size_t, size_t *);
static size_t	result_fit(const char *, size_t, size_t);
static size_t	result_size(const struct result *, const struct result_plan *, size_t);
static void	result_encode(const struct result *, const struct result_plan *,
		    struct buf *, size_t *);

const char *
result_status_name(enum result_status status)
{
	if ((size_t)status >= RESULT_NSTATUS)
		return "IE";
	return result_names[status];
}

int
result_status_parse(const char *name, enum result_status *out)
{
	size_t i;

	for (i = 0; i < RESULT_NSTATUS; i++) {
		if (strcmp(name, result_names[i]) == 0) {
			*out = (enum result_status)i;
			return 0;
		}
	}
	return -1;
}

void
result_init(struct result *r, const char *id)
{
	memset(r, 0, sizeof *r);
	r->id = xstrdup(id != NULL ? id : "");
}

struct result_test *
result_add_test(struct result *r, int number)
{
	struct result_test *t;
	size_t n = r->ntests;

	/* Capacity is implicit: the array grows at each power of two. */
	if (n == 0 || (n & (n - 1)) == 0)
		r->tests = xrealloc(r->tests, (n == 0 ? 1 : 2 * n) * sizeof *r->tests);
	t = &r->tests[n];
	memset(t, 0, sizeof *t);
	t->number = number;
	/* Not OK until judged: a judge that fails mid-test must not pass it. */
	t->status = RESULT_NOT_RUN;
	r->ntests = n + 1;
	return t;
}

void
result_set_error(struct result *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("(out of memory formatting the error)");
	va_end(ap);
	free(r->error);
	r->error = s;
}

void
result_set_reason(struct result *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("(out of memory formatting the reason)");
	va_end(ap);
	free(r->reason);
	r->reason = s;
}

void
result_free(struct result *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->id);
	buf_free(&r->out);
	buf_free(&r->err);
	free(r->error);
	free(r->reason);
	free(r->worker);
	for (i = 0; i < r->ntests; i++) {
		buf_free(&r->tests[i].out);
		buf_free(&r->tests[i].err);
		buf_free(&r->tests[i].checker_msg);
		free(r->tests[i].error);
		free(r->tests[i].reason);
	}
	free(r->tests);
	for (i = 0; i < r->ngroups; i++)
		free(r->groups[i].name);
	free(r->groups);
	memset(r, 0, sizeof *r);
}

void
result_aggregate(struct result *r)
{
	size_t i;
	const struct result_test *last = NULL;

	if (r->ntests == 0)
		return;
	r->status = RESULT_OK;
	/* Held back ("-") counts only when nothing failed: groups skip tests out of order. */
	for (i = 0; i < r->ntests; i++)
		if (r->tests[i].status == RESULT_NOT_RUN)
			r->status = RESULT_NOT_RUN;
	for (i = 0; i < r->ntests; i++) {
		if (r->tests[i].status != RESULT_OK && r->tests[i].status != RESULT_NOT_RUN) {
			r->status = r->tests[i].status;
			/* The why of the verdict is the why of the test that set it. */
			if (r->tests[i].reason != NULL && r->reason == NULL)
				result_set_reason(r, "test %d: %s", r->tests[i].number,
				    r->tests[i].reason);
			break;
		}
	}
	r->duration_ms = 0;
	r->cpu_time_ms = 0;
	r->memory_bytes = 0;
	for (i = 0; i < r->ntests; i++) {
		const struct result_test *t = &r->tests[i];

		r->duration_ms += t->duration_ms;
		if (t->cpu_time_ms > r->cpu_time_ms)
			r->cpu_time_ms = t->cpu_time_ms;
		if (t->memory_bytes > r->memory_bytes)
			r->memory_bytes = t->memory_bytes;
		if (t->truncated)
			r->truncated = 1;
		if (t->status != RESULT_NOT_RUN)
			last = t;
	}
	buf_reset(&r->out);
	buf_reset(&r->err);
	r->exit_code = 0;
	if (last != NULL) {
		buf_append(&r->out, last->out.data, last->out.len);
		buf_append(&r->err, last->err.data, last->err.len);
		r->exit_code = last->exit_code;
	}
}

/*
 * The longest prefix of s that is written as at most cap bytes and does not
 * split UTF-8; *written (may be NULL) gets its escaped size, quotes
 * excluded. Counted as written, not as read: a sequence that is cut or
 * invalid becomes the 3 bytes of U+FFFD, so a cap smaller than the first
 * character keeps nothing rather than one replacement past the cap.
 */
static size_t
result_cut(const char *s, size_t len, size_t cap, size_t *written)
{
	size_t n, w = 2;

	n = s != NULL ? json_cut(s, len, cap, written != NULL ? &w : NULL) : 0;
	if (written != NULL)
		*written = w - 2;
	return n;
}

/* The longest prefix of s whose escaped form (quotes excluded) is <= budget. */
static size_t
result_fit(const char *s, size_t len, size_t budget)
{
	size_t e, n = result_cut(s, len, budget, &e);

	/* Escaping never shrinks text, so n only needs to go down. */
	while (n > 0 && e > budget)
		n = result_cut(s, n, n * budget / e, &e);
	return n;
}

/* Whether a big field is cut under plan p; *n gets the bytes kept. */
static int
result_field(const char *s, size_t len, size_t cap, size_t *n)
{
	*n = result_cut(s, len, cap, NULL);
	return *n < len;
}

static int
result_cuts(const char *s, size_t len, size_t cap)
{
	size_t n;

	return result_field(s, len, cap, &n);
}

/* The escaped bytes one big field adds, cut to cap. */
static size_t
result_written(const char *s, size_t len, size_t cap)
{
	size_t w;

	result_cut(s, len, cap, &w);
	return w;
}

static size_t
result_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* The escaped bytes the big fields add at plan p (quotes are in base). */
static size_t
result_size(const struct result *r, const struct result_plan *p, size_t base)
{
	size_t i, total = base, ocap = result_min(p->field_cap, p->cap);

	total += result_written(r->out.data, r->out.len, ocap);
	total += result_written(r->err.data, r->err.len, ocap);
	for (i = 0; i < p->shown; i++) {
		const struct result_test *t = &r->tests[i];

		total += result_written(t->out.data, t->out.len, ocap);
		total += result_written(t->err.data, t->err.len, ocap);
		total += result_written(t->input, t->input_len, p->cap);
		if (t->expected != NULL)
			total += result_written(t->expected, t->expected_len, p->cap);
		if (t->checker_status != NULL)
			total += result_written(t->checker_msg.data, t->checker_msg.len, ocap);
	}
	return total;
}

/* Writes one budgeted string (id, worker, error). */
static void
result_small(struct json_writer *w, const char *key, const char *s, size_t budget)
{
	size_t len = s != NULL ? strlen(s) : 0;

	json_key(w, key);
	json_str(w, s != NULL ? s : "", result_fit(s, len, budget));
}

/* Writes a big field cut to cap; returns 1 when it was cut. */
static int
result_big(struct json_writer *w, const char *key, const char *s, size_t len, size_t cap)
{
	size_t n;
	int cut = result_field(s, len, cap, &n);

	json_key(w, key);
	json_str(w, s != NULL ? s : "", n);
	return cut;
}

/* "build": what the build step cost this time (nothing when cached). */
static void
result_build(struct json_writer *w, const struct result_build *b)
{
	json_key(w, "build");
	json_obj_begin(w);
	json_key(w, "cached");
	json_bool(w, b->cached);
	json_key(w, "duration_ms");
	json_int(w, b->cached ? 0 : b->duration_ms);
	json_key(w, "cpu_time_ms");
	json_int(w, b->cached ? 0 : b->cpu_time_ms);
	json_key(w, "memory_bytes");
	json_int(w, b->cached ? 0 : b->memory_bytes);
	json_obj_end(w);
}

/* "score", "max_score" and "groups" of a scored result. */
static void
result_scores(struct json_writer *w, const struct result *r)
{
	size_t i;

	json_key(w, "score");
	json_double(w, r->score);
	json_key(w, "max_score");
	json_double(w, r->max_score);
	json_key(w, "groups");
	json_arr_begin(w);
	for (i = 0; i < r->ngroups; i++) {
		const struct result_group *g = &r->groups[i];

		json_obj_begin(w);
		result_small(w, "name", g->name, RESULT_GROUP_NAME_BUDGET);
		json_key(w, "points");
		json_double(w, g->points);
		json_key(w, "score");
		json_double(w, g->score);
		json_key(w, "status");
		json_cstr(w, result_status_name(g->status));
		json_obj_end(w);
	}
	json_arr_end(w);
}

static void
result_encode(const struct result *r, const struct result_plan *p, struct buf *b,
    size_t *test_ends)
{
	struct json_writer w;
	size_t i, ocap = result_min(p->field_cap, p->cap), idlen = r->id ? strlen(r->id) : 0;
	int truncated = r->truncated || p->shown < r->ntests;

	/*
	 * Whether anything will be cut decides the top-level flag up front;
	 * a cut id counts too, or a reader could take it for a whole one.
	 */
	for (i = 0; i < p->shown && !truncated; i++) {
		const struct result_test *t = &r->tests[i];

		truncated = t->truncated || result_cuts(t->out.data, t->out.len, ocap) ||
		    result_cuts(t->err.data, t->err.len, ocap) ||
		    result_cuts(t->input, t->input_len, p->cap) ||
		    (t->expected != NULL && result_cuts(t->expected, t->expected_len, p->cap)) ||
		    (t->checker_status != NULL &&
		    result_cuts(t->checker_msg.data, t->checker_msg.len, ocap));
	}
	if (result_cuts(r->out.data, r->out.len, ocap) ||
	    result_cuts(r->err.data, r->err.len, ocap) ||
	    result_fit(r->id, idlen, RESULT_ID_BUDGET) < idlen)
		truncated = 1;

	json_writer_init(&w, b);
	json_obj_begin(&w);
	result_small(&w, "id", r->id, RESULT_ID_BUDGET);
	json_key(&w, "status");
	json_cstr(&w, result_status_name(r->status));
	json_key(&w, "exit_code");
	json_int(&w, r->exit_code);
	result_big(&w, "stdout", r->out.data, r->out.len, ocap);
	result_big(&w, "stderr", r->err.data, r->err.len, ocap);
	json_key(&w, "duration_ms");
	json_int(&w, r->duration_ms);
	result_small(&w, "error", p->error, RESULT_ERROR_BUDGET);
	json_key(&w, "timestamp");
	json_cstr(&w, p->ts);
	json_key(&w, "cpu_time_ms");
	json_int(&w, r->cpu_time_ms);
	json_key(&w, "memory_bytes");
	json_int(&w, r->memory_bytes);
	result_small(&w, "reason", r->reason, RESULT_REASON_BUDGET);
	json_key(&w, "time_limit_ms");
	json_int(&w, r->time_limit_ms);
	json_key(&w, "memory_limit_bytes");
	json_int(&w, r->memory_limit_bytes);
	json_key(&w, "wall_time_limit_ms");
	json_int(&w, r->wall_time_limit_ms);
	if (r->scored)
		result_scores(&w, r);
	if (r->build.ran)
		result_build(&w, &r->build);
	json_key(&w, "truncated");
	json_bool(&w, p->worst ? 0 : truncated);	/* "false" is the longer */
	if (r->worker != NULL)
		result_small(&w, "worker", r->worker, RESULT_WORKER_BUDGET);
	json_key(&w, "tests");
	json_arr_begin(&w);
	for (i = 0; i < p->shown; i++) {
		const struct result_test *t = &r->tests[i];
		int cut = t->truncated;

		json_obj_begin(&w);
		json_key(&w, "number");
		json_int(&w, t->number);
		json_key(&w, "status");
		json_cstr(&w, result_status_name(t->status));
		json_key(&w, "exit_code");
		json_int(&w, t->exit_code);
		json_key(&w, "duration_ms");
		json_int(&w, t->duration_ms);
		json_key(&w, "cpu_time_ms");
		json_int(&w, t->cpu_time_ms);
		json_key(&w, "memory_bytes");
		json_int(&w, t->memory_bytes);
		cut |= result_big(&w, "stdout", t->out.data, t->out.len, ocap);
		cut |= result_big(&w, "stderr", t->err.data, t->err.len, ocap);
		cut |= result_big(&w, "input", t->input, t->input_len, p->cap);
		cut |= result_big(&w, "expected_output", t->expected,
		    t->expected != NULL ? t->expected_len : 0, p->cap);
		result_small(&w, "error", t->error, RESULT_TEST_ERROR_BUDGET);
		result_small(&w, "reason", t->reason, RESULT_REASON_BUDGET);
		if (t->scored) {
			json_key(&w, "score");
			json_double(&w, t->score);
		}
		if (t->checker_status != NULL) {
			json_key(&w, "checker_status");
			json_cstr(&w, t->checker_status);
			cut |= result_big(&w, "checker_message", t->checker_msg.data,
			    t->checker_msg.len, ocap);
		}
		if (cut || p->worst) {
			json_key(&w, "truncated");
			json_bool(&w, 1);
		}
		json_obj_end(&w);
		if (test_ends != NULL)
			test_ends[i] = b->len;
	}
	json_arr_end(&w);
	json_obj_end(&w);
}

char *
result_to_json(const struct result *r, size_t field_cap, size_t max_bytes, size_t *len)
{
	struct result_plan p;
	struct buf b;
	char ts[32], *note = NULL;
	size_t base, lo, hi, longest, i;

	util_timestamp(ts, sizeof ts);
	memset(&p, 0, sizeof p);
	p.field_cap = field_cap;
	p.shown = r->ntests;
	p.error = r->error;
	p.ts = ts;

	/* base: every big field empty, flags at their longest. */
	buf_init(&b);
	p.worst = 1;
	p.cap = 0;
	result_encode(r, &p, &b, NULL);
	base = b.len;

	if (base > max_bytes && r->ntests > 0) {
		size_t *ends = xcalloc(r->ntests, sizeof *ends), k;

		/* The note with the largest count is the longest it can be. */
		note = xasprintf("record too large: only the first %zu of %zu tests are "
		    "reported%s%s", r->ntests, r->ntests, r->error ? "; " : "",
		    r->error ? r->error : "");
		p.error = note;
		buf_reset(&b);
		result_encode(r, &p, &b, ends);
		/* k tests take ends[k - 1] bytes, and "]}" closes the record. */
		for (k = r->ntests; k > 0 && ends[k - 1] + 2 > max_bytes; k--)
			;
		free(ends);
		free(note);
		note = xasprintf("record too large: only the first %zu of %zu tests are "
		    "reported%s%s", k, r->ntests, r->error ? "; " : "",
		    r->error ? r->error : "");
		p.error = note;
		p.shown = k;
		buf_reset(&b);
		result_encode(r, &p, &b, NULL);
		base = b.len;
	}

	/* The common cap: none if the record fits, else halve, then bisect. */
	p.cap = SIZE_MAX;
	if (result_size(r, &p, base) > max_bytes) {
		longest = result_min(field_cap, r->out.len);
		if (result_min(field_cap, r->err.len) > longest)
			longest = result_min(field_cap, r->err.len);
		for (i = 0; i < p.shown; i++) {
			const struct result_test *t = &r->tests[i];

			if (result_min(field_cap, t->out.len) > longest)
				longest = result_min(field_cap, t->out.len);
			if (result_min(field_cap, t->err.len) > longest)
				longest = result_min(field_cap, t->err.len);
			if (t->input_len > longest)
				longest = t->input_len;
			if (t->expected != NULL && t->expected_len > longest)
				longest = t->expected_len;
		}
		/*
		 * At cap = longest nothing more is cut but invalid bytes (each
		 * written as 3): taken as too big without trying, which only
		 * ever costs those a little room. lo is always a cap that fits.
		 */
		hi = longest;
		lo = hi / 2;
		for (;;) {
			p.cap = lo;
			if (lo == 0 || result_size(r, &p, base) <= max_bytes)
				break;
			hi = lo;
			lo /= 2;
		}
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;

			p.cap = mid;
			if (result_size(r, &p, base) <= max_bytes)
				lo = mid;
			else
				hi = mid;
		}
		p.cap = lo;
	}

	p.worst = 0;
	buf_reset(&b);
	result_encode(r, &p, &b, NULL);
	free(note);
	return buf_steal(&b, len);
}
