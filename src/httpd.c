/*
 * httpd.c - /metrics and /healthz over libmicrohttpd. A thread per
 * connection (at most a few): a scrape that waits on the broker for the
 * consumer lag must not hold up a health check.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "httpd.h"
#include "util.h"

/* Connections served at once, and how long an idle one is kept (s). */
#define HTTPD_MAX_CONNECTIONS	8
#define HTTPD_IDLE_S		15

struct httpd {
	struct MHD_Daemon	*d;
	httpd_metrics_cb	*metrics;
	httpd_health_cb		*health;
	void			*arg;
	unsigned		 port;
};

static enum MHD_Result httpd_answer(void *cls, struct MHD_Connection *c, const char *url,
		    const char *method, const char *version, const char *upload,
		    size_t *upload_size, void **state);
static enum MHD_Result httpd_reply(struct MHD_Connection *c, unsigned status,
		    const char *type, char *body, size_t len);
static void	httpd_log(void *arg, const char *fmt, va_list ap);

int
httpd_parse_listen(const char *listen, char *host, size_t host_size, unsigned *port,
    char *errstr, size_t errstr_size)
{
	const char *colon, *h = listen, *hend;
	char *end;
	unsigned long p;

	if (listen == NULL || *listen == '\0') {
		util_seterr(errstr, errstr_size, "empty listen address");
		return -1;
	}
	if (*listen == '[') {
		hend = strchr(listen, ']');
		if (hend == NULL || hend[1] != ':') {
			util_seterr(errstr, errstr_size, "\"%s\": expected [ADDR]:PORT", listen);
			return -1;
		}
		h = listen + 1;
		colon = hend + 1;
	} else {
		colon = strrchr(listen, ':');
		if (colon == NULL || memchr(listen, ':', (size_t)(colon - listen)) != NULL) {
			util_seterr(errstr, errstr_size,
			    "\"%s\": expected ADDR:PORT (IPv6 as [ADDR]:PORT)", listen);
			return -1;
		}
		hend = colon;
	}
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || p > 65535 || colon[1] == '-' ||
	    colon[1] == '+') {
		util_seterr(errstr, errstr_size, "\"%s\": port must be 0-65535", listen);
		return -1;
	}
	if ((size_t)(hend - h) >= host_size) {
		util_seterr(errstr, errstr_size, "\"%s\": address too long", listen);
		return -1;
	}
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	*port = (unsigned)p;
	return 0;
}

static void
httpd_log(void *arg, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)arg;
	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_warn("httpd: %s", msg);
}

/* Takes ownership of body (malloc'd). */
static enum MHD_Result
httpd_reply(struct MHD_Connection *c, unsigned status, const char *type, char *body,
    size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
httpd_answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **state)
{
	static int first_call;
	struct httpd *h = cls;
	struct buf b;
	char why[512];

	(void)version;
	(void)upload;
	/* The first call only announces the headers; a GET has no body to wait for. */
	if (*state == NULL) {
		*state = &first_call;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;	/* a body is not ours to read */
		return MHD_YES;
	}
	buf_init(&b);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		buf_puts(&b, "only GET and HEAD\n");
		return httpd_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
		    b.data, b.len);
	}
	if (strcmp(url, "/metrics") == 0) {
		h->metrics(&b, h->arg);
		if (b.data == NULL)
			buf_puts(&b, "");
		return httpd_reply(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
		    b.data, b.len);
	}
	if (strcmp(url, "/healthz") == 0) {
		if (h->health(why, sizeof why, h->arg) == 0) {
			buf_puts(&b, "ok\n");
			return httpd_reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8", b.data,
			    b.len);
		}
		buf_printf(&b, "unhealthy: %s\n", why);
		return httpd_reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
		    b.data, b.len);
	}
	buf_puts(&b, "not found: try /metrics or /healthz\n");
	return httpd_reply(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", b.data, b.len);
}

struct httpd *
httpd_start(const char *listen, httpd_metrics_cb *metrics, httpd_health_cb *health,
    void *arg, char *errstr, size_t errstr_size)
{
	struct addrinfo hints, *ai = NULL;
	struct httpd *h;
	const union MHD_DaemonInfo *info;
	char host[256], portstr[16];
	unsigned port, flags;
	sigset_t all, old;
	int rc;

	if (httpd_parse_listen(listen, host, sizeof host, &port, errstr, errstr_size) != 0)
		return NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	snprintf(portstr, sizeof portstr, "%u", port);
	rc = getaddrinfo(*host != '\0' ? host : "0.0.0.0", portstr, &hints, &ai);
	if (rc != 0) {
		util_seterr(errstr, errstr_size, "%s: %s (a numeric address is needed)", listen,
		    gai_strerror(rc));
		return NULL;
	}
	h = xcalloc(1, sizeof *h);
	h->metrics = metrics;
	h->health = health;
	h->arg = arg;
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* Threads inherit the creator's mask: none of them may take our signals. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	/* The logger first, or MHD complains on its own stderr about the order. */
	h->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, httpd_answer, h,
	    MHD_OPTION_EXTERNAL_LOGGER, httpd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTPD_MAX_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTPD_IDLE_S,
	    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	freeaddrinfo(ai);
	if (h->d == NULL) {
		util_seterr(errstr, errstr_size, "cannot listen on %s (address in use, or not "
		    "ours?)", listen);
		free(h);
		return NULL;
	}
	info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info != NULL ? info->port : port;
	return h;
}

unsigned
httpd_port(const struct httpd *h)
{
	return h->port;
}

void
httpd_stop(struct httpd *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
