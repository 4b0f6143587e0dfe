/*
 * logjson.c - the JSON log line. Kept out of util.c, which knows nothing
 * of JSON; json.c does the escaping, as for result records.
 */
#include "config.h"

#include <string.h>

#include "json.h"
#include "logjson.h"

void
logjson_format(struct buf *out, const char *time, long pid, const char *level,
    const char *msg)
{
	struct json_writer w;

	json_writer_init(&w, out);
	json_obj_begin(&w);
	json_key(&w, "time");
	json_cstr(&w, time);
	json_key(&w, "program");
	json_cstr(&w, "scrc");
	json_key(&w, "pid");
	json_int(&w, pid);
	json_key(&w, "level");
	json_cstr(&w, level);
	json_key(&w, "message");
	json_str(&w, msg, strlen(msg));
	json_obj_end(&w);
}
