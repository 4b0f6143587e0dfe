/*
 * verdict.h - what a finished run means: the limits and exit status of a
 * program's run (OK/WA/TL/ML/RE/OL), and the exit code of a problem
 * setter's program that follows testlib's convention (PROTOCOL.md).
 */
#ifndef SCRC_VERDICT_H
#define SCRC_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "docker.h"
#include "result.h"

/* What the profile and limits say about one finished run. */
struct verdict_limits {
	int64_t			 memory_allowed;	/* limit + runtime overhead */
	const char *const	*oom_patterns;		/* NULL-terminated, or NULL */
	int64_t			 time_ms;
};

/*
 * Maps a finished run to OK/WA/TL/ML/RE/OL: limits first (OL, ML, TL), then
 * the exit status (RE), then the comparison (accepted: 1 OK, 0 WA; pass -1
 * when there is nothing to compare, which means OK). why receives a short
 * reason for non-OK statuses ("" otherwise).
 */
enum result_status verdict_classify(const struct docker_exec_result *run,
	    const struct verdict_limits *o, int accepted, char *why, size_t why_size);

/* The testlib exit codes scrc knows (others mean the program failed). */
#define VERDICT_TESTLIB_OK	0
#define VERDICT_TESTLIB_WA	1
#define VERDICT_TESTLIB_PE	2
#define VERDICT_TESTLIB_FAIL	3
#define VERDICT_TESTLIB_POINTS	7

/* A checker's or interactor's decision on one test. */
struct verdict_testlib {
	enum result_status	 status;	/* OK or WA; IE when it failed */
	double			 score;		/* 0..1 */
	const char		*checker_status;	/* "OK" "WA" "PE" "PARTIAL" "FAIL" */
};

/*
 * Reads a testlib-convention exit code: 0 OK, 1 WA, 2 PE (WA), 7 partial
 * with the score the first number after the word "points" in msg (clamped
 * to [0, 1]; exactly 1 is OK, less is WA; no number is a failure); 3 and
 * anything else FAIL (IE).
 */
void	verdict_testlib(int exit_code, const char *msg, size_t msg_len,
	    struct verdict_testlib *out);

#endif
