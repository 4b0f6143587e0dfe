/*
 * progcache.h - what building a program produced, kept on disk between
 * submissions: the artifacts of a build that succeeded, or the outcome of
 * one that failed in a way it would fail again. Entries are named by a
 * SHA-256 of everything the build depends on (the build image's id, the
 * expanded build command, the source and its files), so a resubmission,
 * a rejudge or the second submission to a problem pays no build. The
 * directory is bounded in size (least recently used entries go first) and
 * must belong to us alone: a cache others can write would let them choose
 * what we run and what we answer.
 */
#ifndef SCRC_PROGCACHE_H
#define SCRC_PROGCACHE_H

#include <stdint.h>

#include "build.h"
#include "docker.h"

/*
 * Sets the directory (created 0700 when missing; NULL or "": the
 * default /tmp/scrc-cache-EUID) and the bound on its size (0: no cache).
 * Returns 0, or -1 with err when the directory is not ours alone (the
 * cache is then off).
 */
int	progcache_configure(const char *dir, int64_t max_bytes, char *err, size_t err_size);

/* 1 when entries can be stored and found (configured, or by default). */
int	progcache_enabled(void);

/*
 * The key of building in: purpose (entries of different purposes never
 * meet), the profile's name, source name, build limits and artifact
 * patterns, the build image's id, the build argv and environment as
 * expanded for in (a limit the command does not use is not part of it),
 * the source and the extra files. 0 with hex (65 bytes) filled; -1 when
 * the build cannot be keyed (its image is not known, the templates do
 * not expand): it is then not cached.
 */
int	progcache_key(const char *purpose, const struct build_input *in, char hex[65]);

/*
 * Takes the key's lock (blocking: another judge building the same program
 * finishes first, and its build is then found). Returns a handle for
 * progcache_unlock, or -1 when the cache is off or the lock cannot be had.
 * A process holds at most one key's lock at a time (a second is refused).
 * progcache_unlock removes the lock file.
 */
int	progcache_lock(const char *key);
void	progcache_unlock(int handle);

/*
 * Looks key up (refreshing its age): 0 with files filled (a build that
 * succeeded), 1 with bo filled (one that failed: free with
 * build_outcome_free), -1 when it is not cached.
 */
int	progcache_get(const char *key, struct docker_files *files, struct build_outcome *bo);

/* Stores a build's artifacts under key (atomically), then evicts down to the bound. */
void	progcache_put(const char *key, const struct docker_files *files);

/* Stores a failed build's outcome (only a bo->repeatable one is worth it). */
void	progcache_put_failure(const char *key, const struct build_outcome *bo);

#endif
