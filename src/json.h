/*
 * json.h - reading untrusted JSON safely (jsmn underneath, plus the checks
 * jsmn leaves out) and writing JSON that is always valid UTF-8.
 *
 * Reading: json_parse() validates the whole document up front, so a parsed
 * document is grammatical JSON whose root is an object, with every string
 * escape checked. Tokens are addressed by index; index 0 is the root. The
 * children of an array are its elements; the children of an object
 * alternate key, value, key, value. Siblings are chained by json_next().
 *
 * Decisions a caller may rely on:
 *  - duplicate keys: json_object_get() returns the last one (as Go's
 *    encoding/json and Python's json do);
 *  - integers: only numbers written without fraction or exponent ("12",
 *    "-3") are integers; "1.0" and "1e3" are not (Go's rule for int fields);
 *  - strings: escapes are decoded fully, \u0000 included (the result has an
 *    explicit length); lone or misordered surrogates and raw control bytes
 *    make the document invalid; other bytes, valid UTF-8 or not, are passed
 *    through unchanged.
 */
#ifndef SCRC_JSON_H
#define SCRC_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define JSON_MAX_DEPTH	64		/* nesting deeper than this is an error */
#define JSON_MAX_TOKENS	(1 << 20)	/* a document with more is an error */
#define JSON_MAX_LEN	(256u << 20)	/* a longer document is an error */

/* json_parse() results beyond 0 / -1. */
#define JSON_ENOTOBJ	(-2)	/* the document's root is not an object */

/* Getter results beyond 0. */
#define JSON_ETYPE	(-1)	/* the token has another type */
#define JSON_ERANGE	(-2)	/* a number, but not an integer that fits */

enum json_type {
	JSON_OBJECT,
	JSON_ARRAY,
	JSON_STRING,
	JSON_NUMBER,
	JSON_BOOL,
	JSON_NULL,
};

struct json_doc;

/*
 * Parses text[0..len) (NUL bytes in it are an error, not an end). The
 * document borrows text, which must outlive it. Returns 0 and sets *out
 * (free with json_free), -1 for text that is not valid JSON within the
 * limits above, or JSON_ENOTOBJ for a root that is not an object; errstr
 * then says why and, for syntax errors, at which byte offset.
 */
int		 json_parse(const char *text, size_t len, struct json_doc **out,
		    char *errstr, size_t errstr_size);
void		 json_free(struct json_doc *doc);

/* Number of tokens in the document (>= 1: the root object). */
int		 json_ntokens(const struct json_doc *doc);
/* The type of token tok (0 <= tok < json_ntokens). */
enum json_type	 json_type(const struct json_doc *doc, int tok);
/* "object", "array", ... for messages. */
const char	*json_type_name(enum json_type type);
/* Elements of an array or members (pairs) of an object; 0 for the rest. */
size_t		 json_size(const struct json_doc *doc, int tok);
/* The first child of tok, or -1 when it has none. */
int		 json_first(const struct json_doc *doc, int tok);
/* The index just past tok's subtree: its next sibling when it has one. */
int		 json_next(const struct json_doc *doc, int tok);
/* Number of tokens in tok's subtree, tok included. */
int		 json_skip(const struct json_doc *doc, int tok);
/*
 * The value of member key in object obj (last one wins), or -1 when obj has
 * no such member or is not an object. Keys are compared after unescaping.
 */
int		 json_object_get(const struct json_doc *doc, int obj, const char *key);

/*
 * Typed getters: 0 on success, JSON_ETYPE when tok has another type,
 * JSON_ERANGE (int64 only) for a number that is not an integer in range.
 * json_get_string gives a malloc'ed, NUL-terminated copy (the caller frees
 * it) whose length, NUL bytes included, goes to *len (len may be NULL).
 */
int		 json_get_string(const struct json_doc *doc, int tok, char **out,
		    size_t *len);
int		 json_get_int64(const struct json_doc *doc, int tok, int64_t *out);
int		 json_get_bool(const struct json_doc *doc, int tok, int *out);
/* A finite number of at most 63 characters; JSON_ERANGE otherwise. */
int		 json_get_double(const struct json_doc *doc, int tok, double *out);
/* 1 when tok is null, else 0. */
int		 json_is_null(const struct json_doc *doc, int tok);

/*
 * Appends s[0..len) to b as a quoted JSON string: '"', '\\' and every byte
 * below 0x20 escaped (\n and friends in short form, others as \u00XX),
 * valid UTF-8 passed through, and each invalid UTF-8 sequence (stray or
 * truncated, overlong, surrogate, above U+10FFFF) replaced by U+FFFD.
 */
void		 json_write_string(struct buf *b, const char *s, size_t len);
/* Exactly how many bytes json_write_string(b, s, len) would append. */
size_t		 json_string_len(const char *s, size_t len);
/*
 * The longest prefix of s[0..len) that json_write_string writes as a string
 * of at most cap bytes once decoded (an escape counts as the byte it stands
 * for, each replaced sequence as the 3 bytes of U+FFFD) and that does not
 * end inside a UTF-8 sequence: 0 when not even the first character fits.
 * *written (may be NULL) gets json_string_len of that prefix: one pass.
 */
size_t		 json_cut(const char *s, size_t len, size_t cap, size_t *written);

/*
 * A writer tracks nesting and commas on top of a buffer it does not own.
 * Values inside objects must be preceded by json_key(). Nesting deeper than
 * JSON_MAX_DEPTH, or ending what was not begun, is a programming error and
 * aborts.
 */
struct json_writer {
	struct buf	*buf;
	int		 depth;
	uint64_t	 nonempty;	/* bit d: the container at depth d has a child */
	int		 after_key;
};
void	json_writer_init(struct json_writer *w, struct buf *b);
void	json_obj_begin(struct json_writer *w);
void	json_obj_end(struct json_writer *w);
void	json_arr_begin(struct json_writer *w);
void	json_arr_end(struct json_writer *w);
void	json_key(struct json_writer *w, const char *key);
void	json_str(struct json_writer *w, const char *s, size_t len);
/* s may be NULL, written as "". */
void	json_cstr(struct json_writer *w, const char *s);
void	json_int(struct json_writer *w, int64_t v);
/* A finite number, shortest of up to 10 significant digits; NaN and infinities as 0. */
void	json_double(struct json_writer *w, double v);
void	json_bool(struct json_writer *w, int v);
void	json_null(struct json_writer *w);

#endif
