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
#include <stdio.h>
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
static int	request_files(const struct json_doc *, int, const char *, struct request_file **,
		    size_t *, char *, size_t);
static int	request_program(const struct json_doc *, int, const char *, const char *,
		    struct request_program **, char *, size_t);
static int	request_groups(const struct json_doc *, int, struct request *, char *, size_t);

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

/*
 * A plain relative path: no NUL or control bytes, not absolute, no empty,
 * "." or ".." component, at most 255 bytes. 1 when acceptable.
 */
static int
request_path_ok(const char *name, size_t len)
{
	size_t i, start = 0;

	if (len == 0 || len > 255 || strlen(name) != len || name[0] == '/')
		return 0;
	for (i = 0; i <= len; i++) {
		if (i < len && (unsigned char)name[i] < 0x20)
			return 0;
		if (i == len || name[i] == '/') {
			size_t n = i - start;

			if (n == 0 || (n == 1 && name[start] == '.') ||
			    (n == 2 && name[start] == '.' && name[start + 1] == '.'))
				return 0;
			start = i + 1;
		}
	}
	return 1;
}

/* "files": [{"name", "content"}], names checked and unique. */
static int
request_files(const struct json_doc *doc, int arr, const char *what,
    struct request_file **out, size_t *nout, char *errstr, size_t errstr_size)
{
	size_t i, j, n = json_size(doc, arr);
	int f, v;

	if (json_type(doc, arr) != JSON_ARRAY) {
		util_seterr(errstr, errstr_size, "\"%s\" must be an array", what);
		return -1;
	}
	if (n > REQUEST_MAX_FILES) {
		util_seterr(errstr, errstr_size, "\"%s\" has %zu entries (at most %d)", what, n,
		    REQUEST_MAX_FILES);
		return -1;
	}
	*out = xcalloc(n > 0 ? n : 1, sizeof **out);
	for (i = 0, f = json_first(doc, arr); i < n; i++, f = json_next(doc, f)) {
		struct request_file *rf = &(*out)[i];
		size_t nlen = 0;

		*nout = i + 1;
		if (json_type(doc, f) != JSON_OBJECT) {
			util_seterr(errstr, errstr_size, "\"%s[%zu]\" must be an object", what, i);
			return -1;
		}
		if ((v = request_get(doc, f, "name")) < 0 ||
		    json_get_string(doc, v, &rf->name, &nlen) != 0 ||
		    !request_path_ok(rf->name, nlen)) {
			util_seterr(errstr, errstr_size, "\"%s[%zu].name\" must be a plain relative "
			    "path (no \"..\", no leading \"/\", no NUL, at most 255 bytes)", what, i);
			return -1;
		}
		if ((v = request_get(doc, f, "content")) >= 0 &&
		    json_get_string(doc, v, &rf->content, &rf->len) != 0) {
			util_seterr(errstr, errstr_size, "\"%s[%zu].content\" must be a string",
			    what, i);
			return -1;
		}
		if (rf->content == NULL)
			rf->content = xstrdup("");
		for (j = 0; j < i; j++) {
			if (strcmp((*out)[j].name, rf->name) == 0) {
				util_seterr(errstr, errstr_size, "\"%s\": the name \"%s\" is given "
				    "twice", what, rf->name);
				return -1;
			}
		}
	}
	return 0;
}

/*
 * A program spec {"type"?, "language", "source", "files"?} under key what,
 * with its limits from the top-level object limits_key.
 */
static int
request_program(const struct json_doc *doc, int obj, const char *what,
    const char *limits_key, struct request_program **out, char *errstr, size_t errstr_size)
{
	struct request_program *p;
	char sub[256], *type = NULL;
	int v, lim;

	if (json_type(doc, obj) != JSON_OBJECT) {
		util_seterr(errstr, errstr_size, "\"%s\" must be an object (a program spec)",
		    what);
		return -1;
	}
	p = *out = xcalloc(1, sizeof *p);
	if ((v = request_get(doc, obj, "type")) >= 0) {
		if (json_get_string(doc, v, &type, NULL) != 0 || strcmp(type, "testlib") != 0) {
			free(type);
			util_seterr(errstr, errstr_size, "\"%s.type\" must be \"testlib\"", what);
			return -1;
		}
		free(type);
	}
	if (request_name(doc, obj, "language", &p->language, sub, sizeof sub) != 0 ||
	    request_string(doc, obj, "source", &p->source, &p->source_len, sub,
	    sizeof sub) != 0) {
		util_seterr(errstr, errstr_size, "\"%s\": %s", what, sub);
		return -1;
	}
	if (p->source == NULL || p->source_len == 0) {
		util_seterr(errstr, errstr_size, "\"%s\": missing or empty \"source\"", what);
		return -1;
	}
	if ((v = request_get(doc, obj, "files")) >= 0) {
		snprintf(sub, sizeof sub, "%s.files", what);
		if (request_files(doc, v, sub, &p->files, &p->nfiles, errstr, errstr_size) != 0)
			return -1;
	}
	if ((lim = request_get(doc, 0, limits_key)) >= 0) {
		if (json_type(doc, lim) != JSON_OBJECT) {
			util_seterr(errstr, errstr_size, "\"%s\" must be an object", limits_key);
			return -1;
		}
		if (request_limit(doc, lim, "time_limit_ms", &p->time_limit_ms, sub,
		    sizeof sub) != 0 ||
		    request_limit(doc, lim, "memory_limit_bytes", &p->memory_limit_bytes, sub,
		    sizeof sub) != 0) {
			util_seterr(errstr, errstr_size, "%s: %s", limits_key, sub);
			return -1;
		}
	}
	return 0;
}

/* A group name: 1..REQUEST_GROUP_NAME_MAX bytes of [A-Za-z0-9_.-]. */
static int
request_group_name_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > REQUEST_GROUP_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return 0;
	}
	return 1;
}

/* Finds a group by name among the first n; its index, or -1. */
static long
request_group_find(const struct request *req, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(req->groups[i].name, name) == 0)
			return (long)i;
	return -1;
}

/*
 * The first group on a cycle of depends, or -1 when there is none: groups
 * whose dependencies are all settled are settled, round after round; what
 * is never settled is on (or behind) a cycle.
 */
static long
request_group_cycle(const struct request *req)
{
	unsigned char settled[REQUEST_MAX_GROUPS] = { 0 };
	size_t i, j, left = req->ngroups;
	int progress = 1;

	while (left > 0 && progress) {
		progress = 0;
		for (i = 0; i < req->ngroups; i++) {
			if (settled[i])
				continue;
			for (j = 0; j < req->groups[i].ndepends &&
			    settled[req->groups[i].depends[j]]; j++)
				;
			if (j == req->groups[i].ndepends) {
				settled[i] = 1;
				left--;
				progress = 1;
			}
		}
	}
	for (i = 0; i < req->ngroups; i++)
		if (!settled[i])
			return (long)i;
	return -1;
}

/* The tests of one group: numbers that name tests of the record. */
static int
request_group_tests(const struct json_doc *doc, int arr, struct request *req,
    struct request_group *g, char *errstr, size_t errstr_size)
{
	size_t i, k, n = json_size(doc, arr);
	int64_t num;
	int t;

	if (json_type(doc, arr) != JSON_ARRAY || n == 0) {
		util_seterr(errstr, errstr_size, "group \"%s\": \"tests\" must be a non-empty "
		    "array of test numbers", g->name);
		return -1;
	}
	g->tests = xcalloc(n, sizeof *g->tests);
	for (i = 0, t = json_first(doc, arr); i < n; i++, t = json_next(doc, t)) {
		if (json_get_int64(doc, t, &num) != 0) {
			util_seterr(errstr, errstr_size, "group \"%s\": \"tests\" must hold test "
			    "numbers", g->name);
			return -1;
		}
		for (k = 0; k < req->ntests && req->tests[k].number != num; k++)
			;
		if (k == req->ntests) {
			util_seterr(errstr, errstr_size, "group \"%s\": no test numbered %lld",
			    g->name, (long long)num);
			return -1;
		}
		g->tests[g->ntests++] = (int)k;
	}
	return 0;
}

/*
 * "groups": names unique and plain, points >= 0, tests by number (all
 * known), depends on earlier or later groups by name, no cycle.
 */
static int
request_groups(const struct json_doc *doc, int arr, struct request *req, char *errstr,
    size_t errstr_size)
{
	size_t i, j, n = json_size(doc, arr), nlen;
	int g, v, d;
	char *s;

	if (json_type(doc, arr) != JSON_ARRAY || n > REQUEST_MAX_GROUPS) {
		util_seterr(errstr, errstr_size, "\"groups\" must be an array of at most %d "
		    "groups", REQUEST_MAX_GROUPS);
		return -1;
	}
	req->groups = xcalloc(n > 0 ? n : 1, sizeof *req->groups);
	/* Names first: depends may name a group that comes later. */
	for (i = 0, g = json_first(doc, arr); i < n; i++, g = json_next(doc, g)) {
		struct request_group *rg = &req->groups[i];

		req->ngroups = i + 1;
		if (json_type(doc, g) != JSON_OBJECT) {
			util_seterr(errstr, errstr_size, "\"groups[%zu]\" must be an object", i);
			return -1;
		}
		if ((v = request_get(doc, g, "name")) < 0 ||
		    json_get_string(doc, v, &rg->name, &nlen) != 0 ||
		    !request_group_name_ok(rg->name, nlen)) {
			util_seterr(errstr, errstr_size, "\"groups[%zu].name\" must be 1 to %d "
			    "bytes of letters, digits, '_', '.' or '-'", i, REQUEST_GROUP_NAME_MAX);
			return -1;
		}
		if (request_group_find(req, i, rg->name) >= 0) {
			util_seterr(errstr, errstr_size, "group \"%s\" is given twice", rg->name);
			return -1;
		}
	}
	for (i = 0, g = json_first(doc, arr); i < n; i++, g = json_next(doc, g)) {
		struct request_group *rg = &req->groups[i];

		if ((v = request_get(doc, g, "points")) < 0 ||
		    json_get_double(doc, v, &rg->points) != 0 || rg->points < 0 ||
		    rg->points > 1e9) {
			util_seterr(errstr, errstr_size, "group \"%s\": \"points\" must be a "
			    "number from 0 to 1e9", rg->name);
			return -1;
		}
		if ((v = request_get(doc, g, "tests")) < 0) {
			util_seterr(errstr, errstr_size, "group \"%s\": missing \"tests\"",
			    rg->name);
			return -1;
		}
		if (request_group_tests(doc, v, req, rg, errstr, errstr_size) != 0)
			return -1;
		rg->policy = REQUEST_POLICY_MIN;
		if ((v = request_get(doc, g, "policy")) >= 0) {
			s = NULL;
			if (json_get_string(doc, v, &s, NULL) != 0 ||
			    (strcmp(s, "min") != 0 && strcmp(s, "sum") != 0)) {
				free(s);
				util_seterr(errstr, errstr_size, "group \"%s\": \"policy\" must be "
				    "\"min\" or \"sum\"", rg->name);
				return -1;
			}
			if (strcmp(s, "sum") == 0)
				rg->policy = REQUEST_POLICY_SUM;
			free(s);
		}
		if ((v = request_get(doc, g, "depends")) < 0)
			continue;
		if (json_type(doc, v) != JSON_ARRAY) {
			util_seterr(errstr, errstr_size, "group \"%s\": \"depends\" must be an "
			    "array of group names", rg->name);
			return -1;
		}
		rg->depends = xcalloc(json_size(doc, v) + 1, sizeof *rg->depends);
		for (j = 0, d = json_first(doc, v); j < json_size(doc, v);
		    j++, d = json_next(doc, d)) {
			long k;

			s = NULL;
			if (json_get_string(doc, d, &s, NULL) != 0 ||
			    (k = request_group_find(req, n, s)) < 0) {
				util_seterr(errstr, errstr_size, "group \"%s\" depends on an unknown "
				    "group%s%s%s", rg->name, s ? " \"" : "", s ? s : "", s ? "\"" : "");
				free(s);
				return -1;
			}
			free(s);
			rg->depends[rg->ndepends++] = (size_t)k;
		}
	}
	if ((d = (int)request_group_cycle(req)) >= 0) {
		util_seterr(errstr, errstr_size, "group \"%s\" depends on itself (a cycle of "
		    "\"depends\")", req->groups[d].name);
		return -1;
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
	if ((v = request_get(doc, 0, "files")) >= 0 &&
	    request_files(doc, v, "files", &req->files, &req->nfiles, errstr, errstr_size) != 0)
		return -1;
	if ((v = request_get(doc, 0, "checker")) >= 0 && json_type(doc, v) == JSON_OBJECT) {
		if (request_program(doc, v, "checker", "checker_limits", &req->checker_prog,
		    errstr, errstr_size) != 0)
			return -1;
	} else if (request_string(doc, 0, "checker", &req->checker, NULL, errstr,
	    errstr_size) != 0)
		return -1;
	if ((v = request_get(doc, 0, "interactor")) >= 0 &&
	    request_program(doc, v, "interactor", "interactor_limits", &req->interactor,
	    errstr, errstr_size) != 0)
		return -1;
	if ((v = request_get(doc, 0, "groups")) >= 0 &&
	    request_groups(doc, v, req, errstr, errstr_size) != 0)
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

static void
request_files_free(struct request_file *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(files[i].name);
		free(files[i].content);
	}
	free(files);
}

static void
request_program_free(struct request_program *p)
{
	if (p == NULL)
		return;
	free(p->language);
	free(p->source);
	request_files_free(p->files, p->nfiles);
	free(p);
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
	request_files_free(req->files, req->nfiles);
	request_program_free(req->checker_prog);
	request_program_free(req->interactor);
	for (i = 0; i < req->ngroups; i++) {
		free(req->groups[i].name);
		free(req->groups[i].tests);
		free(req->groups[i].depends);
	}
	free(req->groups);
	for (i = 0; i < req->ntests; i++) {
		free(req->tests[i].input);
		free(req->tests[i].expected);
	}
	free(req->tests);
	memset(req, 0, sizeof *req);
}
