/*
 * util.h - allocation wrappers that abort on exhaustion, a growable byte
 * buffer, logging and clocks. Everything in scrc may use these; nothing here
 * knows about Kafka, Docker or JSON.
 */
#ifndef SCRC_UTIL_H
#define SCRC_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UTIL_NORETURN __attribute__((noreturn))
#define UTIL_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Allocation: these never return NULL; they abort on out-of-memory. */
void	*xmalloc(size_t size);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *ptr, size_t size);
char	*xstrdup(const char *s);
/* Copies exactly n bytes and appends a NUL; s may contain NUL bytes. */
char	*xmemdup(const void *s, size_t n);
char	*xasprintf(const char *fmt, ...) UTIL_PRINTF(1, 2);

/* A growable byte buffer; data is always NUL-terminated when non-NULL. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
void	 buf_init(struct buf *b);
void	 buf_append(struct buf *b, const void *data, size_t len);
void	 buf_putc(struct buf *b, char c);
void	 buf_puts(struct buf *b, const char *s);
void	 buf_printf(struct buf *b, const char *fmt, ...) UTIL_PRINTF(2, 3);
void	 buf_reset(struct buf *b);
/* Frees the storage; the buffer is left empty and reusable. */
void	 buf_free(struct buf *b);
/* Hands the storage to the caller (who frees it); the buffer is left empty. */
char	*buf_steal(struct buf *b, size_t *len);

/* Logging to stderr with an ISO timestamp and a level. */
enum util_log_level {
	UTIL_LOG_DEBUG,
	UTIL_LOG_INFO,
	UTIL_LOG_WARN,
	UTIL_LOG_ERROR,
};
extern int util_log_min_level;
void	log_msg(enum util_log_level level, const char *fmt, ...) UTIL_PRINTF(2, 3);
#define log_debug(...)	log_msg(UTIL_LOG_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(UTIL_LOG_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(UTIL_LOG_WARN, __VA_ARGS__)
#define log_error(...)	log_msg(UTIL_LOG_ERROR, __VA_ARGS__)
/*
 * Formats one log line, without its newline, into out: time (RFC 3339),
 * pid, level name ("debug" ... "error") and the message. Must be
 * thread-safe (librdkafka logs from its own threads).
 */
typedef void	util_log_format_cb(struct buf *out, const char *time, long pid,
		    const char *level, const char *msg);
/* Today's text line: "TIME scrc[PID] LEVEL: MESSAGE". */
void	util_log_text(struct buf *out, const char *time, long pid, const char *level,
	    const char *msg);
/* How log_msg formats its lines from now on (NULL: util_log_text). Start-up only. */
void	log_set_format(util_log_format_cb *cb);
/* Start-up only: logs and exits with status 2. */
void	fatal(const char *fmt, ...) UTIL_PRINTF(1, 2) UTIL_NORETURN;

/* Monotonic milliseconds, for deadlines and durations. */
int64_t	util_now_ms(void);
/* Monotonic microseconds, for measuring overheads. */
int64_t	util_now_us(void);
/* Wall-clock time as RFC 3339 UTC with milliseconds into out (>= 25 bytes). */
void	util_timestamp(char *out, size_t out_size);

/*
 * Reads /proc/PID/stat into buf and returns where its state letter is
 * (field 3, past the command's ")"); NULL when pid is no process (or buf
 * too small to hold the line). ENOENT in errno when the process is gone.
 */
const char *util_proc_stat(pid_t pid, char *buf, size_t size);

/* Formats into errstr like snprintf, tolerating a NULL/0-sized errstr. */
void	util_seterr(char *errstr, size_t errstr_size, const char *fmt, ...)
	    UTIL_PRINTF(3, 4);

/*
 * Parses a Go-style duration ("500ms", "5s", "2m30s", "1h", or a bare number
 * of milliseconds) into milliseconds, rounded to the nearest. Returns 0, or
 * -1 with errno EINVAL for a malformed value and ERANGE for one above
 * INT64_MAX ms (never a saturated or rounded-off value).
 */
int	util_parse_duration_ms(const char *s, int64_t *out);
/*
 * Parses a byte size: a bare number of bytes or a number with a suffix
 * k/K, m/M, g/G (binary multiples), optionally followed by "B" or "iB".
 * Returns 0, or -1 with errno EINVAL for a malformed value and ERANGE for
 * one above INT64_MAX bytes.
 */
int	util_parse_bytes(const char *s, int64_t *out);

/*
 * a + b and a * b clamped to [INT64_MIN, INT64_MAX] instead of overflowing:
 * for deadlines and budgets built from configured or requested numbers.
 */
int64_t	util_add_sat(int64_t a, int64_t b);
int64_t	util_mul_sat(int64_t a, int64_t b);

#endif
