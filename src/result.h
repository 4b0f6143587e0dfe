/*
 * result.h - a judged submission and its encoding as a result record
 * (PROTOCOL.md): statuses, per-test outcomes, output capping and the
 * fitting of a whole record under the producer's message size.
 */
#ifndef SCRC_RESULT_H
#define SCRC_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum result_status {
	RESULT_OK,
	RESULT_WA,
	RESULT_TL,
	RESULT_ML,
	RESULT_BF,
	RESULT_NOT_RUN,		/* "-" */
	RESULT_RE,
	RESULT_OL,
	RESULT_IE,
};

/* "OK", "WA", ..., "-" */
const char	*result_status_name(enum result_status status);
/* Returns 0 and sets *out, or -1 for an unknown name. */
int		 result_status_parse(const char *name, enum result_status *out);

struct result_test {
	int			 number;
	enum result_status	 status;
	int			 exit_code;
	int64_t			 duration_ms;	/* wall time of the program */
	int64_t			 cpu_time_ms;
	int64_t			 memory_bytes;	/* peak */
	struct buf		 out;		/* stdout as captured (may be cut) */
	struct buf		 err;		/* stderr as captured (may be cut) */
	int			 truncated;	/* out or err was cut */
	const char		*input;		/* borrowed from the request */
	size_t			 input_len;
	const char		*expected;	/* borrowed; NULL if none */
	size_t			 expected_len;
	char			*error;		/* owned; NULL = "": only an IE test has one */
	char			*reason;	/* owned; NULL = "": why a verdict is not OK */
	int			 scored;	/* score is written */
	double			 score;		/* 0..1: 1 OK, a checker's fraction, else 0 */
	const char		*checker_status;	/* static; NULL: no checker program ran */
	struct buf		 checker_msg;	/* its stderr, cut (with checker_status) */
};

/* A scored group of tests (PROTOCOL.md "groups"), as judged. */
struct result_group {
	char			*name;		/* owned */
	double			 points;
	double			 score;		/* points x the group's policy over its tests */
	enum result_status	 status;	/* first non-OK test status, else OK */
};

/* The build step of this judging (PROTOCOL.md "build"). */
struct result_build {
	int			 ran;		/* written: the language has a build step */
	int			 cached;	/* answered from the build cache: nothing ran */
	int64_t			 duration_ms;	/* the compiler's wall time (0 when cached) */
	int64_t			 cpu_time_ms;
	int64_t			 memory_bytes;	/* peak */
};

struct result {
	char			*id;		/* owned */
	enum result_status	 status;
	int			 exit_code;
	struct buf		 out;
	struct buf		 err;
	int64_t			 duration_ms;
	char			*error;		/* owned; NULL = "": the runner failed (IE) */
	char			*reason;	/* owned; NULL = "": why the verdict is not OK */
	int64_t			 cpu_time_ms;
	int64_t			 memory_bytes;
	int64_t			 time_limit_ms;		/* limits applied (after factors) */
	int64_t			 memory_limit_bytes;
	int64_t			 wall_time_limit_ms;
	int			 truncated;
	char			*worker;	/* owned; NULL = omit */
	struct result_test	*tests;		/* owned array */
	size_t			 ntests;
	int			 scored;	/* score, max_score and groups are written */
	double			 score;
	double			 max_score;
	struct result_group	*groups;	/* owned array */
	size_t			 ngroups;
	struct result_build	 build;
};

/* Zeroes a result and gives it an id (copied). */
void	result_init(struct result *r, const char *id);
/*
 * Appends a test, zeroed but with status RESULT_NOT_RUN ("-") until the
 * judge sets one, and returns it (valid until the next append).
 */
struct result_test *result_add_test(struct result *r, int number);
/* Sets r->error to a formatted message (replacing any earlier one). */
void	result_set_error(struct result *r, const char *fmt, ...) UTIL_PRINTF(2, 3);
/* Sets r->reason likewise: the why of an ordinary verdict (BF, TL, ...). */
void	result_set_reason(struct result *r, const char *fmt, ...) UTIL_PRINTF(2, 3);
void	result_free(struct result *r);

/*
 * Fills the compat top-level fields from the tests, as PROTOCOL.md says:
 * status = first status neither OK nor "-" (else "-" if any, else OK),
 * reason that test's
 * ("test N: ...", unless a reason is set), stdout/stderr/exit_code of
 * the last test that produced any, duration_ms summed, cpu/memory maxima.
 * Does nothing to a result without tests.
 */
void	result_aggregate(struct result *r);

/* The smallest max_bytes for which result_to_json guarantees a fit. */
#define RESULT_MIN_RECORD	32768

/*
 * Encodes the result as one JSON object (no trailing newline), stamping the
 * current time. Each output field is cut to field_cap bytes (as read back:
 * a byte that is not UTF-8 counts as the 3 of its U+FFFD), then further,
 * evenly, until the record fits in max_bytes; any cut, of the id too, sets
 * "truncated".
 * The input/expected_output echoes count and are cut the same way; if even
 * empty fields do not fit, tests are dropped from the end and "error" says
 * so. For max_bytes >= RESULT_MIN_RECORD the record always fits (id, worker,
 * error and reason strings are held to small budgets for that, and
 * request.c bounds groups). Checker messages are big fields, cut like
 * stdout. Cuts never split a
 * UTF-8 sequence; bytes that are not UTF-8 are written as U+FFFD.
 * The returned string is malloc'ed; the caller frees it.
 */
char	*result_to_json(const struct result *r, size_t field_cap,
	    size_t max_bytes, size_t *len);

#endif
