/*
 * test_logjson.c - the JSON log line: exact output for ordinary messages,
 * escaping of quotes, control characters and invalid UTF-8, and that the
 * text format is unchanged. One row per case.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "logjson.h"
#include "util.h"

#include "rows.h"

#define TS "2026-12-02T05:30:17.123Z"

struct line_case {
	const char	*level;
	const char	*msg;
	const char	*json;		/* the whole line */
};

static const struct line_case line_cases[] = {
	{ "info", "judged id=a lang=python status=OK",
	  "{\"time\":\"" TS "\",\"program\":\"scrc\",\"pid\":42,\"level\":\"info\","
	  "\"message\":\"judged id=a lang=python status=OK\"}" },
	{ "warn", "say \"hi\" \\ there",
	  "{\"time\":\"" TS "\",\"program\":\"scrc\",\"pid\":42,\"level\":\"warn\","
	  "\"message\":\"say \\\"hi\\\" \\\\ there\"}" },
	{ "error", "two\nlines\tand\x01 bell\x7f",
	  "{\"time\":\"" TS "\",\"program\":\"scrc\",\"pid\":42,\"level\":\"error\","
	  "\"message\":\"two\\nlines\\tand\\u0001 bell\x7f\"}" },
	{ "debug", "bad \xff utf-8 caf\xc3\xa9",
	  "{\"time\":\"" TS "\",\"program\":\"scrc\",\"pid\":42,\"level\":\"debug\","
	  "\"message\":\"bad \xef\xbf\xbd utf-8 caf\xc3\xa9\"}" },
	{ "info", "",
	  "{\"time\":\"" TS "\",\"program\":\"scrc\",\"pid\":42,\"level\":\"info\","
	  "\"message\":\"\"}" },
};

static void
test_line(void **state)
{
	const struct line_case *c = *state;
	struct buf b;

	buf_init(&b);
	logjson_format(&b, TS, 42, c->level, c->msg);
	assert_string_equal(b.data, c->json);
	assert_null(memchr(b.data, '\n', b.len));
	buf_free(&b);
}

static void
test_text(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	util_log_text(&b, TS, 42, "warn", "kafka: down");
	assert_string_equal(b.data, TS " scrc[42] warn: kafka: down");
	buf_free(&b);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof line_cases / sizeof line_cases[0]; i++)
		add(xasprintf("json line %zu", i), test_line, &line_cases[i]);
	add("text line", test_text, NULL);
	return _cmocka_run_group_tests("logjson", all, nall, NULL, NULL);
}
