/*
 * httpd.h - the worker's HTTP endpoint for operators (libmicrohttpd):
 * GET /metrics (Prometheus text format) and GET /healthz (200 "ok", or 503
 * with the reason). What the pages say comes from callbacks: this file
 * knows HTTP, not the worker.
 */
#ifndef SCRC_HTTPD_H
#define SCRC_HTTPD_H

#include <stddef.h>

#include "util.h"

/* Appends the /metrics page to out. Runs on a server thread. */
typedef void	httpd_metrics_cb(struct buf *out, void *arg);
/* 0 when healthy, else -1 with a one-line reason in why. Runs on a server thread. */
typedef int	httpd_health_cb(char *why, size_t why_size, void *arg);

struct httpd;

/*
 * Splits "ADDR:PORT" ("127.0.0.1:9464", "[::1]:9464", ":9464" for every
 * IPv4 address; port 0 picks a free one) into its parts: 0, or -1 with
 * errstr. host gets "" for the wildcard.
 */
int	httpd_parse_listen(const char *listen, char *host, size_t host_size,
	    unsigned *port, char *errstr, size_t errstr_size);

/*
 * Starts serving on listen (see httpd_parse_listen) from threads of its
 * own, with every signal blocked in them (the worker's handlers and
 * libpipeline's SIGCHLD stay on the main thread). Both callbacks are
 * required and may run concurrently. Returns NULL with errstr on failure.
 */
struct httpd	*httpd_start(const char *listen, httpd_metrics_cb *metrics,
		    httpd_health_cb *health, void *arg, char *errstr, size_t errstr_size);
/* The port actually bound (useful with port 0). */
unsigned	 httpd_port(const struct httpd *h);
/* Stops serving, waiting for requests in progress; httpd_stop(NULL) is a no-op. */
void		 httpd_stop(struct httpd *h);

#endif
