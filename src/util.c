/*
 * util.c - small shared helpers: allocation, byte buffers, logging, clocks,
 * and the parsers for durations and sizes used by configuration and profiles.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static util_log_format_cb *util_log_format;

int util_log_min_level = UTIL_LOG_INFO;

static void
oom(size_t size)
{
	fprintf(stderr, "scrc: out of memory allocating %zu bytes\n", size);
	abort();
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		oom(size);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom(nmemb * size);
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (p == NULL)
		oom(size);
	return p;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}

char *
xmemdup(const void *s, size_t n)
{
	char *p = xmalloc(n + 1);

	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		oom(strlen(fmt));
	va_end(ap);
	return p;
}

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

static void
buf_reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_append(struct buf *b, const void *data, size_t len)
{
	buf_reserve(b, len);
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

char *
buf_steal(struct buf *b, size_t *len)
{
	char *p = b->data;

	if (p == NULL)
		p = xstrdup("");
	if (len != NULL)
		*len = b->len;
	buf_init(b);
	return p;
}

void
log_set_format(util_log_format_cb *cb)
{
	util_log_format = cb;
}

void
util_log_text(struct buf *out, const char *time, long pid, const char *level,
    const char *msg)
{
	buf_printf(out, "%s scrc[%ld] %s: %s", time, pid, level, msg);
}

void
log_msg(enum util_log_level level, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	util_log_format_cb *format = util_log_format;
	char ts[32], *msg;
	struct buf line;
	va_list ap;

	if ((int)level < util_log_min_level)
		return;
	util_timestamp(ts, sizeof ts);
	/* The message first, so that the line is formatted (and escaped) whole. */
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	buf_init(&line);
	(format != NULL ? format : util_log_text)(&line, ts, (long)getpid(), names[level],
	    msg != NULL ? msg : "(out of memory formatting a log message)");
	buf_putc(&line, '\n');
	/* One write per line: lines of children and threads never interleave. */
	flockfile(stderr);
	fwrite(line.data, 1, line.len, stderr);
	funlockfile(stderr);
	buf_free(&line);
	free(msg);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("scrc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

int64_t
util_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
util_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
util_timestamp(char *out, size_t out_size)
{
	struct timespec ts;
	struct tm tm;
	char base[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, out_size, "%s.%03ldZ", base, ts.tv_nsec / 1000000);
}

const char *
util_proc_stat(pid_t pid, char *buf, size_t size)
{
	char path[64];
	const char *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' && p[2] != '\0' ? p + 2 : NULL;
}

void
util_seterr(char *errstr, size_t errstr_size, const char *fmt, ...)
{
	va_list ap;

	if (errstr == NULL || errstr_size == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errstr, errstr_size, fmt, ap);
	va_end(ap);
}

/*
 * A run of ASCII digits at s (possibly none: *v = 0) as an int64; *end is
 * set past it. -1 with errno ERANGE when it does not fit.
 */
static int
util_digits(const char *s, const char **end, int64_t *v)
{
	*v = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		if (__builtin_mul_overflow(*v, 10, v) ||
		    __builtin_add_overflow(*v, *s - '0', v)) {
			errno = ERANGE;
			return -1;
		}
	*end = s;
	return 0;
}

int
util_parse_duration_ms(const char *s, int64_t *out)
{
	/* Each unit in milliseconds, as the fraction num / den. */
	static const struct {
		const char	*unit;
		int64_t		 num, den;
	} units[] = {
		{ "ns", 1, 1000000 }, { "us", 1, 1000 }, { "\xc2\xb5s", 1, 1000 },
		{ "ms", 1, 1 }, { "s", 1000, 1 }, { "m", 60000, 1 }, { "h", 3600000, 1 },
	};
	int64_t whole = 0, n, rounded;
	double part = 0;	/* fractions of units, in ms, rounded once at the end */
	const char *p;

	errno = EINVAL;
	if (s == NULL || *s == '\0')
		return -1;
	/* A bare number means milliseconds. */
	if (util_digits(s, &p, &n) != 0)
		return -1;
	if (*p == '\0') {
		*out = n;
		return 0;
	}
	/*
	 * Whole units are summed as integers, so that a value past INT64_MAX
	 * ms is an error (ERANGE), never a rounded or saturated double.
	 */
	for (p = s; *p != '\0';) {
		const char *start = p;
		uint64_t fnum = 0, fden = 1;
		size_t i, best = 0, bestlen = 0;
		int64_t ms;

		/* Only plain decimals: no sign, hex or exponent (as Go's durations). */
		if (util_digits(p, &p, &n) != 0)
			return -1;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				if (fden < 1000000000000000000ULL) {	/* finer: below 1 ns */
					fnum = fnum * 10 + (uint64_t)(*p - '0');
					fden *= 10;
				}
		if (p == start || (p == start + 1 && *start == '.')) {
			errno = EINVAL;
			return -1;
		}
		for (i = 0; i < sizeof units / sizeof units[0]; i++) {
			size_t len = strlen(units[i].unit);

			if (strncmp(p, units[i].unit, len) == 0 && len > bestlen) {
				best = i;
				bestlen = len;
			}
		}
		if (bestlen == 0) {
			errno = EINVAL;
			return -1;
		}
		p += bestlen;
		if (__builtin_mul_overflow(n / units[best].den, units[best].num, &ms) ||
		    __builtin_add_overflow(whole, ms, &whole)) {
			errno = ERANGE;
			return -1;
		}
		part += ((double)(n % units[best].den) + (double)fnum / (double)fden) *
		    (double)units[best].num / (double)units[best].den;
	}
	part += 0.5;	/* to the nearest ms: part >= 0, so the cast floors */
	if (part >= 9.2e18 || __builtin_add_overflow(whole, (int64_t)part, &rounded)) {
		errno = ERANGE;
		return -1;
	}
	*out = rounded;
	return 0;
}

int
util_parse_bytes(const char *s, int64_t *out)
{
	char *end;
	unsigned long long v, mult = 1;

	if (s == NULL || !isdigit((unsigned char)*s)) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;	/* ERANGE: more digits than any size */
	switch (*end) {
	case 'k': case 'K':
		mult = 1ULL << 10;
		end++;
		break;
	case 'm': case 'M':
		mult = 1ULL << 20;
		end++;
		break;
	case 'g': case 'G':
		mult = 1ULL << 30;
		end++;
		break;
	}
	if (mult > 1 && *end == 'i')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (v > (unsigned long long)INT64_MAX / mult) {
		errno = ERANGE;
		return -1;
	}
	*out = (int64_t)(v * mult);
	return 0;
}

int64_t
util_add_sat(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int64_t
util_mul_sat(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return (a < 0) != (b < 0) ? INT64_MIN : INT64_MAX;
	return r;
}
