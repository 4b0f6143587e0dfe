/*
 * progcache.c - the on-disk cache of built problem-setter programs.
 *
 * One file per entry, KEY.prog: the line "scrc-prog 1", then per artifact
 * its path, octal mode and length as NUL-terminated fields and its bytes.
 * Entries are written to a temporary file and renamed into place, so a
 * reader sees a whole entry or none; KEY.lock serialises builds of one key
 * across processes (flock: a judge that dies lets go). The age of an entry
 * is its mtime, refreshed on every hit; eviction removes the oldest until
 * the directory is under its bound.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boxproto.h"
#include "progcache.h"
#include "sha256.h"
#include "util.h"

#define PROGCACHE_MAGIC		"scrc-prog 1\n"
#define PROGCACHE_MAX_ENTRY	(256LL << 20)

static char	*progcache_dir;
static int64_t	 progcache_max = 256LL << 20;
static int	 progcache_off;

int
progcache_configure(const char *dir, int64_t max_bytes, char *err, size_t err_size)
{
	struct stat st;
	char *d;

	free(progcache_dir);
	progcache_dir = NULL;
	progcache_max = max_bytes;
	progcache_off = 1;
	if (max_bytes <= 0)
		return 0;
	d = dir != NULL && *dir != '\0' ? xstrdup(dir) :
	    xasprintf("/tmp/scrc-cache-%u", (unsigned)geteuid());
	if (mkdir(d, 0700) != 0 && errno != EEXIST) {
		util_seterr(err, err_size, "cache directory %s: %s", d, strerror(errno));
		free(d);
		return -1;
	}
	/* Ours alone, or anyone able to write there chooses what we run. */
	if (lstat(d, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) != 0) {
		util_seterr(err, err_size, "cache directory %s: not a directory of ours that "
		    "only we can write (owner %u, mode %03o); caching is off", d,
		    (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777));
		free(d);
		return -1;
	}
	progcache_dir = d;
	progcache_off = 0;
	return 0;
}

/* Lazily configured with the defaults when nobody configured it. */
static int
progcache_ready(void)
{
	char err[256];

	if (progcache_dir == NULL && !progcache_off &&
	    progcache_configure(NULL, progcache_max, err, sizeof err) != 0)
		log_warn("progcache: %s", err);
	return progcache_dir != NULL;
}

/* Hashes a length and then the bytes: fields can never run into each other. */
static void
progcache_field(struct sha256 *s, const void *data, size_t len)
{
	unsigned char n[8];
	int i;

	for (i = 0; i < 8; i++)
		n[i] = (unsigned char)((uint64_t)len >> (8 * i));
	sha256_update(s, n, sizeof n);
	if (len > 0)
		sha256_update(s, data, len);
}

static void
progcache_str(struct sha256 *s, const char *str)
{
	progcache_field(s, str != NULL ? str : "", str != NULL ? strlen(str) + 1 : 0);
}

static void
progcache_strv(struct sha256 *s, char *const *v)
{
	size_t n = 0;

	for (; v != NULL && v[n] != NULL; n++)
		progcache_str(s, v[n]);
	progcache_field(s, &n, sizeof n);
}

void
progcache_key(const struct lang_profile *lp, const struct request_program *p,
    const struct plan_limits *lim, char hex[65])
{
	unsigned char out[32];
	struct sha256 s;
	size_t i;

	sha256_init(&s);
	progcache_str(&s, "scrc progcache 1");
	progcache_str(&s, lp->name);
	progcache_str(&s, lp->source);
	progcache_str(&s, lp->build_image);
	progcache_str(&s, lp->run_image);
	progcache_strv(&s, lp->build_argv);
	progcache_strv(&s, lp->build_env);
	progcache_strv(&s, lp->build_artifacts);
	progcache_field(&s, &lim->memory_bytes, sizeof lim->memory_bytes);
	progcache_field(&s, &lim->time_ms, sizeof lim->time_ms);
	progcache_field(&s, p->source, p->source_len);
	progcache_field(&s, &p->nfiles, sizeof p->nfiles);
	for (i = 0; i < p->nfiles; i++) {
		progcache_str(&s, p->files[i].name);
		progcache_field(&s, p->files[i].content, p->files[i].len);
	}
	sha256_final(&s, out, hex);
}

int
progcache_lock(const char *key)
{
	char *path;
	int fd;

	if (!progcache_ready())
		return -1;
	path = xasprintf("%s/%s.lock", progcache_dir, key);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(path);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void
progcache_unlock(int handle)
{
	if (handle >= 0)
		close(handle);	/* closing the file drops the lock */
}

/* Reads a whole entry file. 0, or -1. */
static int
progcache_read(const char *path, struct buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (int64_t)(b->len + (size_t)n) > PROGCACHE_MAX_ENTRY) {
			close(fd);
			return -1;
		}
		buf_append(b, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

/* Splits an entry into files. 0, or -1 when it is malformed. */
static int
progcache_parse(const char *data, size_t len, struct docker_files *out)
{
	size_t pos = strlen(PROGCACHE_MAGIC);
	const char *path, *mode, *size;
	uint64_t n;
	int m;

	memset(out, 0, sizeof *out);
	if (len < pos || memcmp(data, PROGCACHE_MAGIC, pos) != 0)
		return -1;
	while (pos < len) {
		struct docker_file *f;

		if (boxproto_next_field(data, len, &pos, &path) < 0 || !boxproto_path_ok(path) ||
		    boxproto_next_field(data, len, &pos, &mode) < 0 ||
		    boxproto_parse_mode(mode, &m) != 0 ||
		    boxproto_next_field(data, len, &pos, &size) < 0 ||
		    boxproto_parse_u64(size, &n) != 0 || n > len - pos) {
			docker_files_free(out);
			return -1;
		}
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		f = &out->v[out->n++];
		f->path = xstrdup(path);
		f->mode = m;
		f->data = xmemdup(data + pos, (size_t)n);
		f->len = (size_t)n;
		pos += (size_t)n;
	}
	return 0;
}

int
progcache_get(const char *key, struct docker_files *out)
{
	struct buf b;
	char *path;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (!progcache_ready())
		return -1;
	path = xasprintf("%s/%s.prog", progcache_dir, key);
	buf_init(&b);
	if (progcache_read(path, &b) == 0 && progcache_parse(b.data, b.len, out) == 0) {
		utimensat(AT_FDCWD, path, NULL, 0);	/* most recently used now */
		rc = 0;
	}
	buf_free(&b);
	free(path);
	return rc;
}

/* Removes the least recently used entries until the directory fits its bound. */
static void
progcache_evict(void)
{
	struct dirent *e;
	struct stat st;
	int64_t total;
	DIR *d;

	for (;;) {
		char oldest[512] = "";
		struct timespec age = { 0, 0 };
		size_t n;

		total = 0;
		if ((d = opendir(progcache_dir)) == NULL)
			return;
		while ((e = readdir(d)) != NULL) {
			n = strlen(e->d_name);
			if (n < 6 || n >= sizeof oldest || strcmp(e->d_name + n - 5, ".prog") != 0 ||
			    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			total += st.st_size;
			if (oldest[0] == '\0' || st.st_mtim.tv_sec < age.tv_sec ||
			    (st.st_mtim.tv_sec == age.tv_sec && st.st_mtim.tv_nsec < age.tv_nsec)) {
				age = st.st_mtim;
				memcpy(oldest, e->d_name, n + 1);
			}
		}
		if (total > progcache_max && oldest[0] != '\0') {
			unlinkat(dirfd(d), oldest, 0);
			log_info("progcache: evicted %s (cache at %lld of %lld bytes)", oldest,
			    (long long)total, (long long)progcache_max);
		}
		closedir(d);
		if (total <= progcache_max || oldest[0] == '\0')
			return;
	}
}

void
progcache_put(const char *key, const struct docker_files *files)
{
	struct buf b;
	char *path, *tmp;
	size_t i, off;
	ssize_t w;
	int fd;

	if (!progcache_ready())
		return;
	buf_init(&b);
	buf_puts(&b, PROGCACHE_MAGIC);
	for (i = 0; i < files->n; i++) {
		buf_printf(&b, "%s%c%o%c%zu%c", files->v[i].path, 0, files->v[i].mode, 0,
		    files->v[i].len, 0);
		buf_append(&b, files->v[i].data, files->v[i].len);
	}
	if ((int64_t)b.len > PROGCACHE_MAX_ENTRY || (int64_t)b.len > progcache_max) {
		buf_free(&b);
		return;
	}
	path = xasprintf("%s/%s.prog", progcache_dir, key);
	tmp = xasprintf("%s/%s.tmp%ld", progcache_dir, key, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	for (off = 0; fd >= 0 && off < b.len; off += (size_t)w) {
		w = write(fd, b.data + off, b.len - off);
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0 && close(fd) == 0 && rename(tmp, path) == 0)
		progcache_evict();
	else {
		log_warn("progcache: could not store %s: %s", key, strerror(errno));
		unlink(tmp);
	}
	buf_free(&b);
	free(path);
	free(tmp);
}
