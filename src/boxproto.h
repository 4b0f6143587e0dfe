/*
 * boxproto.h - the framing spoken between docker.c (host) and scrc-box
 * (PID 1 of a judge container) over its one stream: the socket of its
 * control channel (chan.h), or what an attached `docker run -i` carries. Both sides include this file; it needs libc only, so the static
 * helper stays self-contained.
 *
 * A frame is a header line "TAG LEN\n" (TAG: 1-8 upper-case letters, LEN:
 * decimal, no sign or leading zeros) followed by exactly LEN payload bytes.
 * Structured payloads are NUL-terminated fields; a PUT or FILE payload ends
 * with the raw file bytes after its fields, so any content is binary-safe.
 *
 * host -> box
 *   PUT    path\0 mode-octal\0 bytes...          -> OK | FAIL
 *   IN     bytes...                              (appended to the next EXEC's stdin)
 *   EXEC   cwd\0 cpu_ms\0 wall_ms\0 output_cap\0 file_size\0 mem_limit\0
 *          fifo_in\0 fifo_out\0 first\0
 *          argc\0 argv...\0 envc\0 env...\0      -> OUT*, ERR*, RESULT | FAIL
 *          (empty cwd: a fresh empty directory removed afterwards; a named
 *          cwd is handed to the programs' uid and removed before the next
 *          run in a fresh one, or in it again (a top-level one is made
 *          when missing); mem_limit 0: no allowance of its own;
 *          fifo_in/fifo_out: names of FIFOs in /.scrc-ipc for stdin and
 *          stdout instead of the IN bytes and OUT frames, both or neither
 *          empty; first: "in" or "out", which of them to open first)
 *   STOP   (empty) while an EXEC runs: kill it now (RESULT stopped=1);
 *          ignored when no run is going on
 *   FETCH  max_bytes\0 base\0 name\0 ...         -> FILE*, DONE | FAIL
 *          (names relative to workdir/base, directories walked; FILE paths
 *          are relative to base: base "build", name "classes" gives
 *          "classes/Main.class"; an empty base is the workdir)
 *   RESET  (empty)                               -> OK charged=N\0 | FAIL
 *          (between two submissions: everything the last one left and every
 *          file PUT made is removed, then the box is checked to be as it was
 *          fresh; N: charged bytes above the fresh box's)
 *   QUIT   (empty)                               box exits
 * box -> host
 *   HELLO  key=value\0 ... (version, cgroup, uid, isolated)  once, at start
 *   OUT / ERR  a chunk of the program's stdout / stderr, as it is read
 *   RESULT key=value\0 ... (see BOXPROTO_R_*)
 *   FILE   path\0 mode-octal\0 bytes...
 *   DONE   count\0
 *   OK     (empty)
 *   FAIL   message (the request failed; the stream is still in sync unless
 *          the box exits right after)
 */
#ifndef SCRC_BOXPROTO_H
#define SCRC_BOXPROTO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BOXPROTO_VERSION	4
#define BOXPROTO_VERSION_STR	"4"
#define BOXPROTO_TAG_MAX	8
/* "TAG" + ' ' + up to 20 digits + '\n' fits; longer is malformed. */
#define BOXPROTO_HEADER_MAX	32
/* One frame's payload; a bigger file cannot be sent or fetched. */
#define BOXPROTO_PAYLOAD_MAX	((uint64_t)1 << 30)
/* The field part of PUT, FETCH, EXEC, HELLO, RESULT, FILE. */
#define BOXPROTO_FIELDS_MAX	((size_t)1 << 20)
#define BOXPROTO_PATH_MAX	1024
/* Size of OUT/ERR/IN chunks. */
#define BOXPROTO_CHUNK		65536

/* RESULT keys. */
#define BOXPROTO_R_EXITED	"exited"
#define BOXPROTO_R_CODE		"code"
#define BOXPROTO_R_SIGNAL	"signal"
#define BOXPROTO_R_CPU_MS	"cpu_ms"
#define BOXPROTO_R_WALL_MS	"wall_ms"
#define BOXPROTO_R_MEMORY	"memory"
#define BOXPROTO_R_OOM		"oom"
#define BOXPROTO_R_CPU_HIT	"cpu_hit"
#define BOXPROTO_R_WALL_HIT	"wall_hit"
#define BOXPROTO_R_OUTPUT_HIT	"output_hit"
#define BOXPROTO_R_MEM_HIT	"mem_hit"	/* killed for memory by scrc-box */
#define BOXPROTO_R_CLEAN	"clean"		/* 0: what the run left could not all be removed */
#define BOXPROTO_R_STOPPED	"stopped"	/* killed on the host's STOP */
#define BOXPROTO_R_PIDS_HIT	"pids_hit"	/* a fork or clone failed at the pids limit */

/*
 * Writes the header of a frame into out (>= BOXPROTO_HEADER_MAX bytes).
 * Returns its length, or -1 for an invalid tag or an over-long payload.
 */
static inline int
boxproto_header(char *out, size_t size, const char *tag, uint64_t len)
{
	size_t i, n = strlen(tag);
	int r;

	if (n == 0 || n > BOXPROTO_TAG_MAX || len > BOXPROTO_PAYLOAD_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		if (tag[i] < 'A' || tag[i] > 'Z')
			return -1;
	}
	r = snprintf(out, size, "%s %llu\n", tag, (unsigned long long)len);
	if (r < 0 || (size_t)r >= size)
		return -1;
	return r;
}

/*
 * Parses a header at the start of buf (n bytes available). Returns the
 * header's length when complete and valid (tag copied NUL-terminated into
 * tag[BOXPROTO_TAG_MAX + 1], payload length into *len), 0 when more bytes
 * are needed, -1 when malformed.
 */
static inline int
boxproto_parse_header(const char *buf, size_t n, char *tag, uint64_t *len)
{
	size_t i = 0, t, digits;
	uint64_t v = 0;

	while (i < n && buf[i] >= 'A' && buf[i] <= 'Z') {
		if (++i > BOXPROTO_TAG_MAX)
			return -1;
	}
	if (i == n)
		return n >= BOXPROTO_HEADER_MAX ? -1 : 0;
	if (i == 0 || buf[i] != ' ')
		return -1;
	t = i++;
	for (digits = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++, digits++) {
		if (digits == 1 && buf[i - 1] == '0')
			return -1;	/* leading zero */
		v = v * 10 + (uint64_t)(buf[i] - '0');
		if (v > BOXPROTO_PAYLOAD_MAX)
			return -1;
	}
	if (i == n)
		return n >= BOXPROTO_HEADER_MAX ? -1 : 0;
	if (digits == 0 || buf[i] != '\n')
		return -1;
	memcpy(tag, buf, t);
	tag[t] = '\0';
	*len = v;
	return (int)(i + 1);
}

/*
 * Takes the next NUL-terminated field of buf[0..len) starting at *pos.
 * Returns its length (the field is buf + the old *pos, NUL-terminated) and
 * advances *pos past the NUL; -1 when no NUL is left.
 */
static inline long
boxproto_next_field(const char *buf, size_t len, size_t *pos, const char **field)
{
	const char *end;
	size_t start = *pos;

	if (start >= len)
		return -1;
	end = memchr(buf + start, '\0', len - start);
	if (end == NULL)
		return -1;
	*field = buf + start;
	*pos = (size_t)(end - buf) + 1;
	return (long)(end - (buf + start));
}

/* Parses a whole field as a decimal number (no sign). 0, or -1. */
static inline int
boxproto_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* Parses a whole field as an octal file mode (at most 07777). 0, or -1. */
static inline int
boxproto_parse_mode(const char *s, int *out)
{
	int v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '7')
			return -1;
		v = v * 8 + (*s - '0');
		if (v > 07777)
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * A path is acceptable when it is relative, at most BOXPROTO_PATH_MAX bytes,
 * and every '/'-separated component is non-empty and neither "." nor "..".
 * Returns 1 when acceptable, 0 otherwise.
 */
static inline int
boxproto_path_ok(const char *path)
{
	const char *p = path, *slash;
	size_t n;

	if (*path == '\0' || *path == '/' || strlen(path) > BOXPROTO_PATH_MAX)
		return 0;
	for (;;) {
		slash = strchr(p, '/');
		n = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (slash == NULL)
			return 1;
		p = slash + 1;
	}
}

/*
 * Finds "key=value" among the NUL-terminated fields of buf[0..len).
 * Returns the value (NUL-terminated, inside buf) or NULL.
 */
static inline const char *
boxproto_kv(const char *buf, size_t len, const char *key)
{
	size_t pos = 0, klen = strlen(key);
	const char *f;
	long n;

	while ((n = boxproto_next_field(buf, len, &pos, &f)) >= 0) {
		if ((size_t)n > klen && memcmp(f, key, klen) == 0 && f[klen] == '=')
			return f + klen + 1;
	}
	return NULL;
}

#endif
