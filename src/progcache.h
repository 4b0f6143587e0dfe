/*
 * progcache.h - built problem-setter programs (checkers, interactors) kept
 * on disk between submissions, named by a SHA-256 of everything the build
 * depends on, so the second submission to a problem pays no checker build.
 * The directory is bounded in size (least recently used entries go first)
 * and must belong to us alone: a cache others can write would let them
 * choose our checker.
 */
#ifndef SCRC_PROGCACHE_H
#define SCRC_PROGCACHE_H

#include <stdint.h>

#include "docker.h"
#include "lang.h"
#include "plan.h"
#include "request.h"

/*
 * Sets the directory (created 0700 when missing; NULL or "": the
 * default /tmp/scrc-cache-EUID) and the bound on its size (0: no cache).
 * Returns 0, or -1 with err when the directory is not ours alone (the
 * cache is then off).
 */
int	progcache_configure(const char *dir, int64_t max_bytes, char *err, size_t err_size);

/*
 * The key of a spec built with profile lp under lim: the spec's language,
 * source and files (names and contents), the profile's name, images and
 * build keys, and the limits the build argv may use. hex: 65 bytes.
 */
void	progcache_key(const struct lang_profile *lp, const struct request_program *p,
	    const struct plan_limits *lim, char hex[65]);

/*
 * Takes the key's lock (blocking: another judge building the same program
 * finishes first, and its build is then found). Returns a handle for
 * progcache_unlock, or -1 when the cache is off or the lock cannot be had.
 */
int	progcache_lock(const char *key);
void	progcache_unlock(int handle);

/* 0 with out filled when key is cached (its age is refreshed), else -1. */
int	progcache_get(const char *key, struct docker_files *out);

/* Stores files under key (atomically), then evicts down to the bound. */
void	progcache_put(const char *key, const struct docker_files *files);

#endif
