/*
 * request.c - validating a submission record (PROTOCOL.md) into a struct
 * request. Every way a record can be wrong ends here as one short message;
 * nothing past this point looks at the JSON again.
 *
 * A null value counts as absent everywhere (as with Go's encoding/json).
 * An empty "id" counts as absent too, so the record key stands in.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "json.h"
#include "request.h"

static int	request_string(const struct json_doc *, int, const char *, char **, size_t *,
		    char *, size_t);
static int	request_limit(const struct json_doc *, int, const char *, int64_t *, char *,
		    size_t);
static int	request_tests(const struct json_doc *, int, struct request *, char *, size_t);
static int	request_script(const struct json_doc *, struct request *, char *, size_t);

/* The value of key in obj, or -1 when it is absent or null. */
static int
request_get(const struct json_doc *doc, int obj, const char *key)
{
	int v = json_object_get(doc, obj, key);

	return v >= 0 && json_is_null(doc, v) ? -1 : v;
}

/*
 * A string member: 0 with *out set (NULL when absent), or -1 when it is not
 * a string. name is how messages call it.
 */
static int
request_string(const struct json_doc *doc, int obj, const char *key, char **out,
    size_t *len, char *errstr, size_t errstr_size)
{
	int v = request_get(doc, obj, key);

	*out = NULL;
	if (len != NULL)
		*len = 0;
	if (v < 0)
		return 0;
	if (json_get_string(doc, v, out, len) != 0) {
		util_seterr(errstr, errstr_size, "\"%s\" must be a string", key);
		return -1;
	}
	return 0;
}

/* A required non-empty string that must not hold NUL bytes (a C string). */
static int
request_name(const struct json_doc *doc, int obj, const char *key, char **out,
    char *errstr, size_t errstr_size)
{
	size_t len;

	if (request_string(doc, obj, key, out, &len, errstr, errstr_size) != 0)
		return -1;
	if (*out == NULL || len == 0) {
		util_seterr(errstr, errstr_size, "missing or empty \"%s\"", key);
		return -1;
	}
	if (strlen(*out) != len) {
		util_seterr(errstr, errstr_size, "\"%s\" must not contain NUL bytes", key);
		return -1;
	}
	return 0;
}

static int
request_limit(const struct json_doc *doc, int limits, const char *key, int64_t *out,
    char *errstr, size_t errstr_size)
{
	int v = request_get(doc, limits, key);

	*out = 0;
	if (v < 0)
		return 0;
	if (json_get_int64(doc, v, out) != 0 || *out < 0) {
		*out = 0;
		util_seterr(errstr, errstr_size,
		    "\"limits.%s\" must be a non-negative integer", key);
		return -1;
	}
	return 0;
}

static int
request_tests(const struct json_doc *doc, int arr, struct request *req, char *errstr,
    size_t errstr_size)
{
	size_t i, n = json_size(doc, arr);
	int t;

	if (json_type(doc, arr) != JSON_ARRAY) {
		util_seterr(errstr, errstr_size, "\"tests\" must be an array");
		return -1;
	}
	req->tests = xcalloc(n > 0 ? n : 1, sizeof *req->tests);
	for (i = 0, t = json_first(doc, arr); i < n; i++, t = json_next(doc, t)) {
		struct request_test *rt = &req->tests[i];
		int v;

		req->ntests = i + 1;
		rt->number = (int)(i + 1);
		if (json_type(doc, t) != JSON_OBJECT) {
			util_seterr(errstr, errstr_size, "\"tests[%zu]\" must be an object", i);
			return -1;
		}
		if ((v = request_get(doc, t, "number")) >= 0) {
			int64_t num;

			if (json_get_int64(doc, v, &num) != 0 || num < INT_MIN || num > INT_MAX) {
				util_seterr(errstr, errstr_size,
				    "\"tests[%zu].number\" must be an integer", i);
				return -1;
			}
			rt->number = (int)num;
		}
		if ((v = request_get(doc, t, "input")) >= 0 &&
		    json_get_string(doc, v, &rt->input, &rt->input_len) != 0) {
			util_seterr(errstr, errstr_size,
			    "\"tests[%zu].input\" must be a string", i);
			return -1;
		}
		if (rt->input == NULL)
			rt->input = xstrdup("");
		if ((v = request_get(doc, t, "expected_output")) >= 0 &&
		    json_get_string(doc, v, &rt->expected, &rt->expected_len) != 0) {
			util_seterr(errstr, errstr_size,
			    "\"tests[%zu].expected_output\" must be a string", i);
			return -1;
		}
	}
	return 0;
}

/* Everything a "script" record needs beyond its id. */
static int
request_script(const struct json_doc *doc, struct request *req, char *errstr,
    size_t errstr_size)
{
	struct checker chk;
	char cerr[256];
	int v;

	if (request_name(doc, 0, "language", &req->language, errstr, errstr_size) != 0)
		return -1;
	if (request_string(doc, 0, "source", &req->source, &req->source_len, errstr,
	    errstr_size) != 0)
		return -1;
	if (req->source == NULL || req->source_len == 0) {
		util_seterr(errstr, errstr_size, "missing or empty \"source\"");
		return -1;
	}
	if ((v = request_get(doc, 0, "limits")) >= 0) {
		if (json_type(doc, v) != JSON_OBJECT) {
			util_seterr(errstr, errstr_size, "\"limits\" must be an object");
			return -1;
		}
		if (request_limit(doc, v, "time_limit_ms", &req->time_limit_ms, errstr,
		    errstr_size) != 0 ||
		    request_limit(doc, v, "memory_limit_bytes", &req->memory_limit_bytes,
		    errstr, errstr_size) != 0 ||
		    request_limit(doc, v, "wall_time_limit_ms", &req->wall_time_limit_ms,
		    errstr, errstr_size) != 0)
			return -1;
	}
	if ((v = request_get(doc, 0, "tests")) >= 0 &&
	    request_tests(doc, v, req, errstr, errstr_size) != 0)
		return -1;
	if (request_string(doc, 0, "checker", &req->checker, NULL, errstr, errstr_size) != 0)
		return -1;
	if (req->checker != NULL &&
	    checker_parse(req->checker, &chk, cerr, sizeof cerr) != 0) {
		util_seterr(errstr, errstr_size, "invalid \"checker\": %s", cerr);
		return -1;
	}
	if ((v = request_get(doc, 0, "run_all_tests")) >= 0 &&
	    json_get_bool(doc, v, &req->run_all_tests) != 0) {
		util_seterr(errstr, errstr_size, "\"run_all_tests\" must be a boolean");
		return -1;
	}
	return 0;
}

int
request_parse(const char *json, size_t len, const char *fallback_id, struct request *req,
    char *errstr, size_t errstr_size)
{
	struct json_doc *doc;
	char jerr[256], *s = NULL;
	size_t slen;
	int rc, v;

	memset(req, 0, sizeof *req);
	rc = json_parse(json, len, &doc, jerr, sizeof jerr);
	if (rc != 0) {
		req->id = xstrdup(fallback_id != NULL ? fallback_id : "");
		if (rc == JSON_ENOTOBJ)
			util_seterr(errstr, errstr_size, "record is not a JSON object");
		else
			util_seterr(errstr, errstr_size, "record is not valid JSON: %s", jerr);
		return -1;
	}

	/* The id first: even a record rejected below is answered under it. */
	rc = 0;
	if ((v = request_get(doc, 0, "id")) >= 0) {
		if (json_get_string(doc, v, &s, &slen) != 0) {
			util_seterr(errstr, errstr_size, "\"id\" must be a string");
			rc = -1;
		} else if (strlen(s) != slen) {
			util_seterr(errstr, errstr_size, "\"id\" must not contain NUL bytes");
			rc = -1;
		} else if (slen > REQUEST_MAX_ID) {
			/* Answered under the fallback id: a cut id would match nothing. */
			util_seterr(errstr, errstr_size, "\"id\" is longer than %d bytes",
			    REQUEST_MAX_ID);
			rc = -1;
		} else if (slen > 0) {
			req->id = s;
			s = NULL;
		}
		free(s);
		s = NULL;
	}
	if (req->id == NULL)
		req->id = xstrdup(fallback_id != NULL ? fallback_id : "");

	req->type = REQUEST_SCRIPT;
	if ((v = request_get(doc, 0, "type")) >= 0) {
		if (json_get_string(doc, v, &s, &slen) != 0 || strlen(s) != slen ||
		    (strcmp(s, "script") != 0 && strcmp(s, "done") != 0)) {
			util_seterr(errstr, errstr_size, "\"type\" must be \"script\" or \"done\"");
			free(s);
			rc = -1;
			goto out;
		}
		if (strcmp(s, "done") == 0)
			req->type = REQUEST_DONE;
		free(s);
	}
	/* A "done" record needs nothing else: a bad id must not hide the end. */
	if (req->type == REQUEST_DONE)
		rc = 0;
	else if (rc == 0)
		rc = request_script(doc, req, errstr, errstr_size);
out:
	json_free(doc);
	return rc;
}

void
request_free(struct request *req)
{
	size_t i;

	if (req == NULL)
		return;
	free(req->id);
	free(req->language);
	free(req->source);
	free(req->checker);
	for (i = 0; i < req->ntests; i++) {
		free(req->tests[i].input);
		free(req->tests[i].expected);
	}
	free(req->tests);
	memset(req, 0, sizeof *req);
}
