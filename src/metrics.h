/*
 * metrics.h - a small registry of Prometheus metrics (counters, gauges,
 * histograms, each a family of series told apart by label values) and its
 * rendering in the Prometheus text exposition format 0.0.4. Updates and
 * rendering may come from different threads: a registry has one mutex.
 */
#ifndef SCRC_METRICS_H
#define SCRC_METRICS_H

#include <stddef.h>

#include "util.h"

enum metrics_type {
	METRICS_COUNTER,
	METRICS_GAUGE,
	METRICS_HISTOGRAM,
};

/* Most label names a family may have. */
#define METRICS_MAX_LABELS	4
/* Most series one family keeps; further label sets share one "_overflow" series. */
#define METRICS_MAX_SERIES	512

struct metrics;
struct metrics_family;

/* An empty registry; free with metrics_free (metrics_free(NULL) is a no-op). */
struct metrics	*metrics_new(void);
void		 metrics_free(struct metrics *m);

/*
 * Adds a family. labels: NULL-terminated label names (NULL = none); bounds:
 * a histogram's bucket upper bounds, strictly increasing, without +Inf
 * (copied). Names are borrowed and must outlive the registry (literals).
 * Families are rendered in the order added. The family belongs to m.
 */
struct metrics_family *metrics_add(struct metrics *m, enum metrics_type type,
		    const char *name, const char *help, const char *const *labels,
		    const double *bounds, size_t nbounds);

/*
 * The updates. values: one label value per label name of the family
 * (ignored when it has none), copied on first use; NULL is "".
 * metrics_inc adds v to a counter or gauge; metrics_set sets a gauge, or a
 * counter that mirrors a count kept elsewhere; metrics_observe counts v in
 * a histogram.
 */
void	metrics_inc(struct metrics_family *f, const char *const *values, double v);
void	metrics_set(struct metrics_family *f, const char *const *values, double v);
void	metrics_observe(struct metrics_family *f, const char *const *values, double v);
/* Forgets every series of the family (a gauge whose label sets come and go). */
void	metrics_reset(struct metrics_family *f);

/*
 * Appends the whole registry to out in the text format: # HELP and # TYPE
 * per family, then its series in the order they appeared; a family without
 * labels shows 0 before its first update.
 */
void	metrics_render(struct metrics *m, struct buf *out);

/* Appends v as the text format writes a sample value (+Inf, -Inf, NaN). */
void	metrics_format_value(struct buf *out, double v);

#endif
