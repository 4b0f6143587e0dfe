/*
 * rows.h - the table-driven unit tests' one helper: add() turns each row
 * of a table into a cmocka test of its own (named after the row, the row
 * as its state), collected in all[0..nall) for the test program's main to
 * run. Included by the test programs, not by scrc; needs <cmocka.h> and
 * util.h (xrealloc) first.
 */
#ifndef SCRC_TESTS_ROWS_H
#define SCRC_TESTS_ROWS_H

#include <stdint.h>
#include <string.h>

static struct CMUnitTest	*all;
static size_t			 nall;

static void
add(const char *name, CMUnitTestFunction f, const void *state)
{
	all = xrealloc(all, (nall + 1) * sizeof *all);
	memset(&all[nall], 0, sizeof *all);
	all[nall].name = name;
	all[nall].test_func = f;
	all[nall].initial_state = (void *)(uintptr_t)state;
	nall++;
}

#endif
