/*
 * verdict.c - the meaning of finished runs: a program's limits and exit
 * status, and a problem setter's program's testlib exit code.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "verdict.h"

static int
verdict_mem_contains(const char *hay, size_t hay_len, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0 || hay == NULL)
		return 0;
	return memmem(hay, hay_len, needle, n) != NULL;
}

/* Said after the reason of a run that hit the box's process and thread limit. */
#define VERDICT_PIDS_NOTE(run) \
	((run)->pids_limit_hit ? " (the process and thread limit was reached)" : "")

enum result_status
verdict_classify(const struct docker_exec_result *run, const struct verdict_limits *o,
    int accepted, char *why, size_t why_size)
{
	const char *const *p;
	int runtime_oom = 0;

	util_seterr(why, why_size, "%s", "");
	if (run->output_limit_hit) {
		util_seterr(why, why_size, "output limit exceeded");
		return RESULT_OL;
	}
	/*
	 * A runtime's out-of-memory message counts only when the run failed:
	 * a program that prints "MemoryError" and exits 0 did not run out.
	 */
	for (p = o->oom_patterns; p != NULL && *p != NULL; p++)
		if ((!run->exited || run->exit_code != 0) &&
		    verdict_mem_contains(run->err.data, run->err.len, *p))
			runtime_oom = 1;
	/*
	 * A JVM that cannot start a thread says OutOfMemoryError, also when
	 * what ran out was the box's process and thread limit: with that
	 * limit hit and memory under the allowance, memory was not the cause.
	 */
	if (runtime_oom && run->pids_limit_hit &&
	    (o->memory_allowed <= 0 || run->memory_bytes <= o->memory_allowed))
		runtime_oom = 0;
	if (run->oom_killed || runtime_oom || run->mem_limit_hit ||
	    (o->memory_allowed > 0 && run->memory_bytes > o->memory_allowed)) {
		util_seterr(why, why_size, "memory limit exceeded%s",
		    run->oom_killed ? " (killed by the OOM killer)" :
		    runtime_oom ? " (the runtime ran out of memory)" : "");
		return RESULT_ML;
	}
	if (run->cpu_limit_hit || run->wall_limit_hit ||
	    (o->time_ms > 0 && run->cpu_ms > o->time_ms)) {
		util_seterr(why, why_size, "%s%s",
		    run->wall_limit_hit && !run->cpu_limit_hit ? "wall time limit exceeded" :
		    "time limit exceeded", VERDICT_PIDS_NOTE(run));
		return RESULT_TL;
	}
	if (!run->exited) {
		util_seterr(why, why_size, "killed by signal %d%s", run->signal,
		    VERDICT_PIDS_NOTE(run));
		return RESULT_RE;
	}
	if (run->exit_code != 0) {
		util_seterr(why, why_size, "exit code %d%s", run->exit_code, VERDICT_PIDS_NOTE(run));
		return RESULT_RE;
	}
	if (accepted == 0) {
		util_seterr(why, why_size, "wrong answer");
		return RESULT_WA;
	}
	return RESULT_OK;
}

void
verdict_testlib(int exit_code, const char *msg, size_t msg_len, struct verdict_testlib *out)
{
	const char *p, *end = msg + msg_len;
	char num[64], *stop;
	size_t n;
	double v;

	out->score = 0;
	out->status = RESULT_WA;
	switch (exit_code) {
	case VERDICT_TESTLIB_OK:
		out->status = RESULT_OK;
		out->score = 1;
		out->checker_status = "OK";
		return;
	case VERDICT_TESTLIB_WA:
		out->checker_status = "WA";
		return;
	case VERDICT_TESTLIB_PE:
		out->checker_status = "PE";
		return;
	case VERDICT_TESTLIB_POINTS:
		break;
	default:
		out->status = RESULT_IE;
		out->checker_status = "FAIL";
		return;
	}
	/* The first number after the word "points": the fraction of the test. */
	p = msg != NULL ? memmem(msg, msg_len, "points", 6) : NULL;
	if (p != NULL) {
		for (p += 6; p < end && (*p == ' ' || *p == '\t' || *p == ':' || *p == '='); p++)
			;
		for (n = 0; p + n < end && n < sizeof num - 1 &&
		    strchr("0123456789.eE+-", p[n]) != NULL; n++)
			num[n] = p[n];
		num[n] = '\0';
		v = strtod(num, &stop);
		if (n > 0 && stop != num && isfinite(v)) {
			out->score = v < 0 ? 0 : v > 1 ? 1 : v;
			out->status = out->score >= 1 ? RESULT_OK : RESULT_WA;
			out->checker_status = out->score >= 1 ? "OK" : "PARTIAL";
			return;
		}
	}
	/* Partial points without a number: the checker broke its convention. */
	out->status = RESULT_IE;
	out->checker_status = "FAIL";
}
