/*
 * metrics.c - the metrics registry and its text rendering. Series are
 * kept in a plain array per family: a worker has tens of them, and the
 * overflow series keeps a hostile label value (a submission's language)
 * from growing memory without bound.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "util.h"

struct metrics_series {
	char	*values[METRICS_MAX_LABELS];
	double	 value;		/* counter or gauge; a histogram's sum */
	uint64_t count;		/* histogram: observations */
	uint64_t *buckets;	/* histogram: per bucket (not cumulative), nbounds + 1 */
};

struct metrics_family {
	struct metrics		*m;
	struct metrics_family	*next;
	enum metrics_type	 type;
	const char		*name;
	const char		*help;
	const char		*labels[METRICS_MAX_LABELS];
	size_t			 nlabels;
	double			*bounds;
	size_t			 nbounds;
	struct metrics_series	*series;
	size_t			 nseries;
};

struct metrics {
	pthread_mutex_t		 lock;
	struct metrics_family	*first;
	struct metrics_family	**tail;
};

static struct metrics_series *metrics_series_get(struct metrics_family *f,
		    const char *const *values);
static void	metrics_series_clear(struct metrics_family *f);
static void	metrics_escape(struct buf *out, const char *s, int help);
static void	metrics_labels(struct buf *out, const struct metrics_family *f,
		    const struct metrics_series *s, const char *le);
static void	metrics_render_family(struct buf *out, struct metrics_family *f);

struct metrics *
metrics_new(void)
{
	struct metrics *m = xcalloc(1, sizeof *m);

	pthread_mutex_init(&m->lock, NULL);
	m->tail = &m->first;
	return m;
}

void
metrics_free(struct metrics *m)
{
	struct metrics_family *f, *next;

	if (m == NULL)
		return;
	for (f = m->first; f != NULL; f = next) {
		next = f->next;
		metrics_series_clear(f);
		free(f->bounds);
		free(f);
	}
	pthread_mutex_destroy(&m->lock);
	free(m);
}

struct metrics_family *
metrics_add(struct metrics *m, enum metrics_type type, const char *name, const char *help,
    const char *const *labels, const double *bounds, size_t nbounds)
{
	struct metrics_family *f = xcalloc(1, sizeof *f);

	f->m = m;
	f->type = type;
	f->name = name;
	f->help = help;
	while (labels != NULL && labels[f->nlabels] != NULL) {
		if (f->nlabels == METRICS_MAX_LABELS)
			abort();	/* a programming error, like a bad literal */
		f->labels[f->nlabels] = labels[f->nlabels];
		f->nlabels++;
	}
	if (type == METRICS_HISTOGRAM && nbounds > 0) {
		f->bounds = xcalloc(nbounds, sizeof *f->bounds);
		memcpy(f->bounds, bounds, nbounds * sizeof *bounds);
		f->nbounds = nbounds;
	}
	pthread_mutex_lock(&m->lock);
	*m->tail = f;
	m->tail = &f->next;
	pthread_mutex_unlock(&m->lock);
	return f;
}

/* The series of these label values, made when new. Called locked. */
static struct metrics_series *
metrics_series_get(struct metrics_family *f, const char *const *values)
{
	static const char *const overflow[METRICS_MAX_LABELS] = {
		"_overflow", "_overflow", "_overflow", "_overflow"
	};
	struct metrics_series *s;
	size_t i, j;

	for (;;) {
		for (i = 0; i < f->nseries; i++) {
			s = &f->series[i];
			for (j = 0; j < f->nlabels; j++)
				if (strcmp(s->values[j], values[j] != NULL ? values[j] : "") != 0)
					break;
			if (j == f->nlabels)
				return s;
		}
		/* The last free slot is kept for the overflow series. */
		if (f->nseries + 1 < METRICS_MAX_SERIES || values == overflow)
			break;
		values = overflow;
	}
	f->series = xrealloc(f->series, (f->nseries + 1) * sizeof *f->series);
	s = &f->series[f->nseries++];
	memset(s, 0, sizeof *s);
	for (j = 0; j < f->nlabels; j++)
		s->values[j] = xstrdup(values[j] != NULL ? values[j] : "");
	if (f->type == METRICS_HISTOGRAM)
		s->buckets = xcalloc(f->nbounds + 1, sizeof *s->buckets);
	return s;
}

static void
metrics_series_clear(struct metrics_family *f)
{
	size_t i, j;

	for (i = 0; i < f->nseries; i++) {
		for (j = 0; j < f->nlabels; j++)
			free(f->series[i].values[j]);
		free(f->series[i].buckets);
	}
	free(f->series);
	f->series = NULL;
	f->nseries = 0;
}

void
metrics_inc(struct metrics_family *f, const char *const *values, double v)
{
	pthread_mutex_lock(&f->m->lock);
	metrics_series_get(f, values)->value += v;
	pthread_mutex_unlock(&f->m->lock);
}

void
metrics_set(struct metrics_family *f, const char *const *values, double v)
{
	pthread_mutex_lock(&f->m->lock);
	metrics_series_get(f, values)->value = v;
	pthread_mutex_unlock(&f->m->lock);
}

void
metrics_observe(struct metrics_family *f, const char *const *values, double v)
{
	struct metrics_series *s;
	size_t i;

	pthread_mutex_lock(&f->m->lock);
	s = metrics_series_get(f, values);
	/* Bucket "le" means <=; NaN lands only in +Inf, as in the reference clients. */
	for (i = 0; i < f->nbounds && !(v <= f->bounds[i]); i++)
		;
	s->buckets[i]++;
	s->count++;
	s->value += v;
	pthread_mutex_unlock(&f->m->lock);
}

void
metrics_reset(struct metrics_family *f)
{
	pthread_mutex_lock(&f->m->lock);
	metrics_series_clear(f);
	pthread_mutex_unlock(&f->m->lock);
}

void
metrics_format_value(struct buf *out, double v)
{
	char s[64];

	if (isnan(v)) {
		buf_puts(out, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_puts(out, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	/* The shortest of 15 or 17 digits that reads back as the same double. */
	snprintf(s, sizeof s, "%.15g", v);
	if (strtod(s, NULL) != v)
		snprintf(s, sizeof s, "%.17g", v);
	buf_puts(out, s);
}

/*
 * HELP text escapes backslash and newline; label values also the double
 * quote. Everything else, UTF-8 included, goes through as it is.
 */
static void
metrics_escape(struct buf *out, const char *s, int help)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_puts(out, "\\\\");
		else if (*s == '\n')
			buf_puts(out, "\\n");
		else if (*s == '"' && !help)
			buf_puts(out, "\\\"");
		else
			buf_putc(out, *s);
	}
}

/* {a="x",le="0.5"}, or nothing at all without labels. */
static void
metrics_labels(struct buf *out, const struct metrics_family *f,
    const struct metrics_series *s, const char *le)
{
	size_t j;

	if (f->nlabels == 0 && le == NULL)
		return;
	buf_putc(out, '{');
	for (j = 0; j < f->nlabels; j++) {
		buf_printf(out, "%s%s=\"", j > 0 ? "," : "", f->labels[j]);
		metrics_escape(out, s->values[j], 0);
		buf_putc(out, '"');
	}
	if (le != NULL)
		buf_printf(out, "%sle=\"%s\"", f->nlabels > 0 ? "," : "", le);
	buf_putc(out, '}');
}

static void
metrics_render_family(struct buf *out, struct metrics_family *f)
{
	static const char *const types[] = { "counter", "gauge", "histogram" };
	struct metrics_series zero;
	uint64_t zeros[1] = { 0 }, *zb = NULL;
	size_t i, b, n = f->nseries;
	struct metrics_series *all = f->series;
	struct buf le;

	buf_printf(out, "# HELP %s ", f->name);
	metrics_escape(out, f->help, 1);
	buf_printf(out, "\n# TYPE %s %s\n", f->name, types[f->type]);
	/* Unlabelled: one series that exists from the start, at 0. */
	if (n == 0 && f->nlabels == 0) {
		memset(&zero, 0, sizeof zero);
		if (f->type == METRICS_HISTOGRAM) {
			zb = f->nbounds > 0 ? xcalloc(f->nbounds + 1, sizeof *zb) : zeros;
			zero.buckets = zb;
		}
		all = &zero;
		n = 1;
	}
	buf_init(&le);
	for (i = 0; i < n; i++) {
		const struct metrics_series *s = &all[i];
		uint64_t cum = 0;

		if (f->type != METRICS_HISTOGRAM) {
			buf_puts(out, f->name);
			metrics_labels(out, f, s, NULL);
			buf_putc(out, ' ');
			metrics_format_value(out, s->value);
			buf_putc(out, '\n');
			continue;
		}
		for (b = 0; b <= f->nbounds; b++) {
			cum += s->buckets[b];
			buf_reset(&le);
			if (b < f->nbounds)
				metrics_format_value(&le, f->bounds[b]);
			else
				buf_puts(&le, "+Inf");
			buf_printf(out, "%s_bucket", f->name);
			metrics_labels(out, f, s, le.data);
			buf_printf(out, " %llu\n", (unsigned long long)cum);
		}
		buf_printf(out, "%s_sum", f->name);
		metrics_labels(out, f, s, NULL);
		buf_putc(out, ' ');
		metrics_format_value(out, s->value);
		buf_printf(out, "\n%s_count", f->name);
		metrics_labels(out, f, s, NULL);
		buf_printf(out, " %llu\n", (unsigned long long)s->count);
	}
	buf_free(&le);
	if (zb != zeros)
		free(zb);
}

void
metrics_render(struct metrics *m, struct buf *out)
{
	struct metrics_family *f;

	pthread_mutex_lock(&m->lock);
	for (f = m->first; f != NULL; f = f->next)
		metrics_render_family(out, f);
	pthread_mutex_unlock(&m->lock);
}
