/*
 * progcache.c - the on-disk cache of builds.
 *
 * One file per entry, KEY.prog: the line "scrc-prog 2", then the field
 * "built" followed by each artifact's path, octal mode and length as
 * NUL-terminated fields and its bytes; or the field "failed" followed by
 * the failed build's exit code, wall and CPU milliseconds, peak memory,
 * reason, and its stdout and stderr (each a length field and the bytes).
 * Entries are written to a temporary file and renamed into place, so a
 * reader sees a whole entry or none; KEY.lock serialises builds of one key
 * across processes (flock: a judge that dies lets go). Its holder removes
 * the lock file before letting go, and whoever gets a lock checks that its
 * file is still the one the name points to, so lock files do not pile up
 * (one per program ever judged) and the lock stays exclusive. The age of
 * an entry is its mtime, refreshed on every hit; eviction removes the
 * oldest until the directory is under its bound, and with them what
 * judges killed mid-way left: temporary files and lock files no one holds,
 * once they are PROGCACHE_STALE_S old.
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
#include <time.h>
#include <unistd.h>

#include "boxproto.h"
#include "imageid.h"
#include "progcache.h"
#include "sha256.h"
#include "util.h"

#define PROGCACHE_MAGIC		"scrc-prog 2\n"
#define PROGCACHE_MAX_ENTRY	(256LL << 20)
/* Writing an entry takes milliseconds: a temporary file this old is a dead judge's. */
#define PROGCACHE_STALE_S	600

static char	*progcache_dir;
static int64_t	 progcache_max = 256LL << 20;
static int	 progcache_off;
static char	*progcache_held;	/* the lock file this process holds */

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

int
progcache_enabled(void)
{
	return progcache_ready();
}

int
progcache_key(const char *purpose, const struct build_input *in, char hex[65])
{
	const struct lang_profile *lp = in->lp;
	const char *image = lp->build_image != NULL ? lp->build_image : lp->run_image;
	const char *id = imageid_get(image);
	char **argv = NULL, **env = NULL, err[256], *src;
	unsigned char out[32];
	struct sha256 s;
	size_t i;

	if (id == NULL || (lp->build_argv != NULL &&
	    build_command(in, &argv, &env, err, sizeof err) != 0)) {
		lang_strv_free(argv);
		lang_strv_free(env);
		return -1;
	}
	src = lang_source_name(lp, in->main);
	sha256_init(&s);
	progcache_str(&s, "scrc progcache 2");
	progcache_str(&s, purpose);
	progcache_str(&s, lp->name);
	progcache_str(&s, src);
	progcache_str(&s, image);
	progcache_str(&s, id);
	progcache_strv(&s, argv);
	progcache_strv(&s, env);
	progcache_strv(&s, lp->build_artifacts);
	progcache_field(&s, &lp->build_time_ms, sizeof lp->build_time_ms);
	progcache_field(&s, &lp->build_memory_bytes, sizeof lp->build_memory_bytes);
	progcache_field(&s, in->source, in->source_len);
	progcache_field(&s, &in->nfiles, sizeof in->nfiles);
	for (i = 0; i < in->nfiles; i++) {
		progcache_str(&s, in->files[i].name);
		progcache_field(&s, in->files[i].content, in->files[i].len);
	}
	sha256_final(&s, out, hex);
	free(src);
	lang_strv_free(argv);
	lang_strv_free(env);
	return 0;
}

int
progcache_lock(const char *key)
{
	struct stat held, named;
	char *path;
	int fd;

	if (!progcache_ready() || progcache_held != NULL)
		return -1;
	path = xasprintf("%s/%s.lock", progcache_dir, key);
	for (;;) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			break;
		while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
			;
		/* Removed by its last holder while we waited: lock the new one. */
		if (fstat(fd, &held) == 0 && stat(path, &named) == 0 &&
		    held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
			progcache_held = path;
			return fd;
		}
		close(fd);
	}
	free(path);
	return -1;
}

void
progcache_unlock(int handle)
{
	if (handle < 0)
		return;
	/* Removed while still ours: no one can be holding it meanwhile. */
	if (progcache_held != NULL)
		unlink(progcache_held);
	free(progcache_held);
	progcache_held = NULL;
	close(handle);	/* closing the file drops the lock */
}

/*
 * Whether a leftover of a judge killed mid-way: a temporary entry, or a
 * lock file no one holds (taken, checked and removed here, as its holder
 * would), either at least PROGCACHE_STALE_S old. Such files are removed.
 */
static void
progcache_sweep(int dirfd_, const char *name, const struct stat *st)
{
	struct stat held;
	size_t n = strlen(name);
	int fd;

	if (time(NULL) - st->st_mtim.tv_sec < PROGCACHE_STALE_S)
		return;
	if (strstr(name, ".tmp") != NULL) {
		unlinkat(dirfd_, name, 0);
		log_info("progcache: removed %s, left by a judge that died", name);
		return;
	}
	if (n < 6 || strcmp(name + n - 5, ".lock") != 0 ||
	    (fd = openat(dirfd_, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &held) == 0 &&
	    held.st_ino == st->st_ino && held.st_dev == st->st_dev)
		unlinkat(dirfd_, name, 0);
	close(fd);
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

/* The artifacts of a "built" entry from *pos on. 0, or -1 when malformed. */
static int
progcache_parse_files(const char *data, size_t len, size_t pos, struct docker_files *out)
{
	const char *path, *mode, *size;
	uint64_t n;
	int m;

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

/* A number field of a "failed" entry. 0, or -1. */
static int
progcache_parse_num(const char *data, size_t len, size_t *pos, int64_t *out)
{
	const char *f;
	uint64_t n;

	if (boxproto_next_field(data, len, pos, &f) < 0 || boxproto_parse_u64(f, &n) != 0 ||
	    n > INT64_MAX)
		return -1;
	*out = (int64_t)n;
	return 0;
}

/* A length field and that many bytes. 0, or -1. */
static int
progcache_parse_bytes(const char *data, size_t len, size_t *pos, struct buf *out)
{
	int64_t n;

	if (progcache_parse_num(data, len, pos, &n) != 0 || (uint64_t)n > len - *pos)
		return -1;
	buf_append(out, data + *pos, (size_t)n);
	*pos += (size_t)n;
	return 0;
}

/* The outcome of a "failed" entry from *pos on. 0, or -1 when malformed. */
static int
progcache_parse_failure(const char *data, size_t len, size_t pos, struct build_outcome *bo)
{
	const char *reason;
	int64_t code;

	if (progcache_parse_num(data, len, &pos, &code) != 0 || code > 255 ||
	    progcache_parse_num(data, len, &pos, &bo->wall_ms) != 0 ||
	    progcache_parse_num(data, len, &pos, &bo->cpu_ms) != 0 ||
	    progcache_parse_num(data, len, &pos, &bo->memory_bytes) != 0 ||
	    boxproto_next_field(data, len, &pos, &reason) < 0 ||
	    progcache_parse_bytes(data, len, &pos, &bo->out) != 0 ||
	    progcache_parse_bytes(data, len, &pos, &bo->err) != 0 || pos != len)
		return -1;
	bo->failed = 1;
	bo->repeatable = 1;
	bo->exit_code = (int)code;
	util_seterr(bo->reason, sizeof bo->reason, "%s", reason);
	return 0;
}

/* Splits an entry: 0 (files), 1 (bo), -1 when it is malformed. */
static int
progcache_parse(const char *data, size_t len, struct docker_files *files,
    struct build_outcome *bo)
{
	size_t pos = strlen(PROGCACHE_MAGIC);
	const char *kind;

	if (len < pos || memcmp(data, PROGCACHE_MAGIC, pos) != 0 ||
	    boxproto_next_field(data, len, &pos, &kind) < 0)
		return -1;
	if (strcmp(kind, "built") == 0)
		return progcache_parse_files(data, len, pos, files);
	if (strcmp(kind, "failed") == 0) {
		if (progcache_parse_failure(data, len, pos, bo) == 0)
			return 1;
		build_outcome_free(bo);
		memset(bo, 0, sizeof *bo);
		buf_init(&bo->out);
		buf_init(&bo->err);
	}
	return -1;
}

int
progcache_get(const char *key, struct docker_files *files, struct build_outcome *bo)
{
	struct buf b;
	char *path;
	int rc = -1;

	memset(files, 0, sizeof *files);
	memset(bo, 0, sizeof *bo);
	buf_init(&bo->out);
	buf_init(&bo->err);
	if (!progcache_ready())
		return -1;
	path = xasprintf("%s/%s.prog", progcache_dir, key);
	buf_init(&b);
	if (progcache_read(path, &b) == 0 &&
	    (rc = progcache_parse(b.data != NULL ? b.data : "", b.len, files, bo)) >= 0)
		utimensat(AT_FDCWD, path, NULL, 0);	/* most recently used now */
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
			if (n < 6 || n >= sizeof oldest ||
			    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			if (strcmp(e->d_name + n - 5, ".prog") != 0) {
				progcache_sweep(dirfd(d), e->d_name, &st);
				continue;
			}
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

/* Writes an entry's bytes under key (atomically), then evicts. */
static void
progcache_store(const char *key, const struct buf *b)
{
	char *path, *tmp;
	size_t off;
	ssize_t w;
	int fd;

	if ((int64_t)b->len > PROGCACHE_MAX_ENTRY || (int64_t)b->len > progcache_max)
		return;
	path = xasprintf("%s/%s.prog", progcache_dir, key);
	tmp = xasprintf("%s/%s.tmp%ld", progcache_dir, key, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	for (off = 0; fd >= 0 && off < b->len; off += (size_t)w) {
		w = write(fd, b->data + off, b->len - off);
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
	free(path);
	free(tmp);
}

void
progcache_put(const char *key, const struct docker_files *files)
{
	struct buf b;
	size_t i;

	if (!progcache_ready())
		return;
	buf_init(&b);
	buf_puts(&b, PROGCACHE_MAGIC);
	buf_append(&b, "built", 6);
	for (i = 0; i < files->n; i++) {
		buf_printf(&b, "%s%c%o%c%zu%c", files->v[i].path, 0, files->v[i].mode, 0,
		    files->v[i].len, 0);
		buf_append(&b, files->v[i].data, files->v[i].len);
	}
	progcache_store(key, &b);
	buf_free(&b);
}

void
progcache_put_failure(const char *key, const struct build_outcome *bo)
{
	struct buf b;

	if (!progcache_ready() || !bo->failed || bo->exit_code < 0 || bo->exit_code > 255)
		return;
	buf_init(&b);
	buf_puts(&b, PROGCACHE_MAGIC);
	buf_append(&b, "failed", 7);
	/* A reason is one of build.c's own sentences: no NUL inside. */
	buf_printf(&b, "%d%c%lld%c%lld%c%lld%c%s%c%zu%c", bo->exit_code, 0,
	    (long long)bo->wall_ms, 0, (long long)bo->cpu_ms, 0,
	    (long long)bo->memory_bytes, 0, bo->reason, 0, bo->out.len, 0);
	buf_append(&b, bo->out.data, bo->out.len);
	buf_printf(&b, "%zu%c", bo->err.len, 0);
	buf_append(&b, bo->err.data, bo->err.len);
	progcache_store(key, &b);
	buf_free(&b);
}
