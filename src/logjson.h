/*
 * logjson.h - log lines as JSON objects, one per line, for log collectors:
 * the fields of the text line (time, program, pid, level, message).
 */
#ifndef SCRC_LOGJSON_H
#define SCRC_LOGJSON_H

#include "util.h"

/*
 * A util_log_format_cb: appends {"time":..,"program":"scrc","pid":..,
 * "level":..,"message":..} to out, every string escaped as JSON (invalid
 * UTF-8 replaced), so one line is always one valid object.
 */
void	logjson_format(struct buf *out, const char *time, long pid, const char *level,
	    const char *msg);

#endif
