/*
 * request.h - a submission record (PROTOCOL.md) turned into a judge request.
 * This is the only place that knows the submission's JSON field names.
 */
#ifndef SCRC_REQUEST_H
#define SCRC_REQUEST_H

#include <stddef.h>
#include <stdint.h>

/* Longest id accepted; results echo ids whole, so they must stay small. */
#define REQUEST_MAX_ID	1024

struct request_test {
	int	 number;	/* 1-based; defaults to position */
	char	*input;		/* owned; may contain NUL bytes */
	size_t	 input_len;
	char	*expected;	/* owned; NULL when the test has no expected_output */
	size_t	 expected_len;
};

/* An extra file placed beside the source (PROTOCOL.md "files"). */
struct request_file {
	char	*name;		/* owned; a plain relative path, checked */
	char	*content;	/* owned; may contain NUL bytes */
	size_t	 len;
};

/* Most extra files one submission or program spec may carry. */
#define REQUEST_MAX_FILES	64
/* Most scored groups, and the longest group name (plain bytes). */
#define REQUEST_MAX_GROUPS	64
#define REQUEST_GROUP_NAME_MAX	16

/* A problem setter's program: a checker or an interactor. */
struct request_program {
	char			*language;	/* owned */
	char			*source;	/* owned; may contain NUL bytes */
	size_t			 source_len;
	struct request_file	*files;
	size_t			 nfiles;
	int64_t			 time_limit_ms;		/* its own limits; 0 = default */
	int64_t			 memory_limit_bytes;
};

enum request_policy {
	REQUEST_POLICY_MIN,	/* the lowest test score (all or nothing) */
	REQUEST_POLICY_SUM,	/* the mean of the test scores */
};

/* A scored group of tests, in the record's order. */
struct request_group {
	char			*name;		/* owned */
	double			 points;
	int			*tests;		/* indexes into request.tests */
	size_t			 ntests;
	size_t			*depends;	/* indexes into request.groups */
	size_t			 ndepends;
	enum request_policy	 policy;
};

enum request_type {
	REQUEST_SCRIPT,		/* a submission to judge */
	REQUEST_DONE,		/* "type": "done" ends the stream */
};

struct request {
	enum request_type	 type;
	char			*id;		/* owned; never NULL after parse */
	char			*language;	/* owned */
	char			*source;	/* owned; may contain NUL bytes */
	size_t			 source_len;
	int64_t			 time_limit_ms;		/* 0 = worker default */
	int64_t			 memory_limit_bytes;	/* 0 = worker default */
	int64_t			 wall_time_limit_ms;	/* 0 = derived */
	struct request_test	*tests;
	size_t			 ntests;
	char			*checker;	/* owned; NULL = "exact" (or a program) */
	int			 run_all_tests;
	struct request_file	*files;		/* extra files beside the source */
	size_t			 nfiles;
	struct request_program	*checker_prog;	/* owned; NULL: a built-in checker */
	struct request_program	*interactor;	/* owned; NULL: not interactive */
	struct request_group	*groups;	/* owned; validated: no cycle, all known */
	size_t			 ngroups;
};

/*
 * Parses one record value. fallback_id is used when the record has no "id"
 * (the caller passes the record key, or "<topic>:<partition>:<offset>").
 * Returns 0 on success. On an invalid record returns -1, fills errstr with
 * a message fit for the result's "error" field, and still sets req->id
 * (from the record when readable, else from fallback_id) so that an IE
 * result can be answered. The caller frees with request_free() either way.
 */
int	request_parse(const char *json, size_t len, const char *fallback_id,
	    struct request *req, char *errstr, size_t errstr_size);

/* Frees everything the request owns; safe on a zeroed or NULL request. */
void	request_free(struct request *req);

#endif
