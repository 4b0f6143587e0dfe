/*
 * chan.c - the host end of a box's control channel: a listening Unix
 * socket in a directory made for one box, bind-mounted into its container
 * at CHAN_MOUNT. See chan.h.
 *
 * Who can reach the socket: the channel dir is ours alone (mode 0700), so
 * on the host only our uid and root get through it. The box's own
 * directory is 0711 and the socket 0666 because the box's root need not be
 * our uid nor hold CAP_DAC_OVERRIDE (a worker that is not root, an engine
 * that remaps uids); inside the container only scrc-box runs until it has
 * connected, and once it has, socket and directory are removed. The token
 * (16 random bytes, handed to the box through the docker CLI's environment,
 * never its argv) still has to come first, so that nothing but that box
 * can speak as it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "chan.h"
#include "util.h"

static const char *chan_dir_set;

static const char	*chan_base(void);
static int		 chan_base_ready(const char *base, char *errstr, size_t errstr_size);
static const char	*chan_host_tag(void);
static int		 chan_token_ok(const struct chan *c, int fd, int64_t deadline);

void
chan_set_dir(const char *dir)
{
	chan_dir_set = dir != NULL && *dir != '\0' ? dir : NULL;
}

static const char *
chan_base(void)
{
	static char def[64];

	if (chan_dir_set != NULL)
		return chan_dir_set;
	if (def[0] == '\0')
		snprintf(def, sizeof def, "/tmp/scrc-sockets-%u", (unsigned)geteuid());
	return def;
}

/*
 * Made when missing; ours alone, or anyone able to write there could stand
 * in. One of ours that others may only enter or read (as the engine makes
 * a bind mount's missing source, 0755) is closed first: only we could have
 * put anything in it.
 */
static int
chan_base_ready(const char *base, char *errstr, size_t errstr_size)
{
	struct stat st;
	int fd;

	if (mkdir(base, 0700) != 0 && errno != EEXIST) {
		util_seterr(errstr, errstr_size, "socket directory %s: %s", base, strerror(errno));
		return -1;
	}
	if (lstat(base, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_mode & 022) == 0 && (st.st_mode & 077) != 0 &&
	    (fd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		if (fchmod(fd, 0700) == 0)
			st.st_mode &= ~(mode_t)077;
		close(fd);
	}
	if (lstat(base, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		util_seterr(errstr, errstr_size, "socket directory %s: not a directory of ours "
		    "that only we can enter (owner %u, mode %03o)", base, (unsigned)st.st_uid,
		    (unsigned)(st.st_mode & 0777));
		return -1;
	}
	return 0;
}

/*
 * Eight hex digits of this host's name: workers in containers of their own
 * share one channel dir, and their pids mean nothing to each other.
 */
static const char *
chan_host_tag(void)
{
	static char tag[16];
	char host[256];
	uint32_t h = 2166136261u;
	const char *p;

	if (tag[0] != '\0')
		return tag;
	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "?");
	host[sizeof host - 1] = '\0';
	for (p = host; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(tag, sizeof tag, "%08x", h);
	return tag;
}

int
chan_open(struct chan *c, char *errstr, size_t errstr_size)
{
	const char *base = chan_base();
	unsigned char rnd[CHAN_TOKEN_LEN / 2];
	struct sockaddr_un sa;
	size_t i;
	char *tmpl;

	memset(c, 0, sizeof *c);
	c->listen_fd = -1;
	if (chan_base_ready(base, errstr, errstr_size) != 0)
		return -1;
	if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
		util_seterr(errstr, errstr_size, "getrandom: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof rnd; i++)
		snprintf(c->token + 2 * i, 3, "%02x", rnd[i]);
	tmpl = xasprintf("%s/%s-%ld-XXXXXX", base, chan_host_tag(), (long)getpid());
	if (mkdtemp(tmpl) == NULL) {
		util_seterr(errstr, errstr_size, "socket directory %s: %s", tmpl, strerror(errno));
		free(tmpl);
		return -1;
	}
	c->dir = tmpl;
	c->path = xasprintf("%s/s", c->dir);
	if (strlen(c->path) >= sizeof sa.sun_path) {
		util_seterr(errstr, errstr_size, "socket path %s is too long (at most %zu bytes)",
		    c->path, sizeof sa.sun_path - 1);
		goto fail;
	}
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, c->path, strlen(c->path) + 1);
	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->listen_fd < 0 || bind(c->listen_fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    chmod(c->path, 0666) != 0 || chmod(c->dir, 0711) != 0 ||
	    listen(c->listen_fd, 4) != 0) {
		util_seterr(errstr, errstr_size, "socket %s: %s", c->path, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	chan_close(c);
	return -1;
}

/* Whether the first bytes on fd are the token and a newline, by the deadline. */
static int
chan_token_ok(const struct chan *c, int fd, int64_t deadline)
{
	char got[CHAN_TOKEN_LEN + 1];
	unsigned char diff = 0;
	struct pollfd pfd;
	size_t have = 0, i;
	int64_t left;
	ssize_t n;

	while (have < sizeof got) {
		n = read(fd, got + have, sizeof got - have);
		if (n > 0) {
			have += (size_t)n;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			return 0;
		left = deadline - util_now_ms();
		if (left <= 0)
			return 0;
		pfd.fd = fd;
		pfd.events = POLLIN;
		poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
	}
	/* Every byte compared, whatever the first difference. */
	for (i = 0; i < CHAN_TOKEN_LEN; i++)
		diff |= (unsigned char)(got[i] ^ c->token[i]);
	return diff == 0 && got[CHAN_TOKEN_LEN] == '\n';
}

int
chan_accept(struct chan *c, int64_t timeout_ms)
{
	int64_t deadline = util_now_ms() + (timeout_ms > 0 ? timeout_ms : 0), left;
	struct pollfd pfd;
	int fd;

	if (c->listen_fd < 0) {
		errno = EBADF;
		return -1;
	}
	for (;;) {
		fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			/* A box that connected says its token at once: a second at most. */
			if (chan_token_ok(c, fd, util_now_ms() + 1000)) {
				chan_close(c);
				return fd;
			}
			log_warn("chan: a connection to %s without the box's token, dropped",
			    c->path);
			close(fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		left = deadline - util_now_ms();
		if (left <= 0) {
			errno = EAGAIN;
			return -1;
		}
		pfd.fd = c->listen_fd;
		pfd.events = POLLIN;
		poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
	}
}

int
chan_fd(const struct chan *c)
{
	return c->listen_fd;
}

void
chan_close(struct chan *c)
{
	if (c->listen_fd >= 0) {
		close(c->listen_fd);
		c->listen_fd = -1;
	}
	/* The box's mount keeps the directory alive inside; the host forgets it. */
	if (c->path != NULL)
		unlink(c->path);
	if (c->dir != NULL)
		rmdir(c->dir);
	free(c->path);
	free(c->dir);
	c->path = c->dir = NULL;
	explicit_bzero(c->token, sizeof c->token);
}

int
chan_own_path(const char *name, char *out, size_t size, char *errstr, size_t errstr_size)
{
	const char *base = chan_base();
	int n;

	if (chan_base_ready(base, errstr, errstr_size) != 0)
		return -1;
	n = snprintf(out, size, "%s/%s-%s", base, chan_host_tag(), name);
	if (n < 0 || (size_t)n >= size) {
		util_seterr(errstr, errstr_size, "socket directory %s: name too long", base);
		return -1;
	}
	return 0;
}

int
chan_sweep(int (*alive)(long pid))
{
	const char *base = chan_base(), *tag = chan_host_tag();
	size_t tl = strlen(tag);
	struct dirent *e;
	DIR *d;
	int count = 0;

	if ((d = opendir(base)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char *end, *path;
		long pid;

		if (strncmp(e->d_name, tag, tl) != 0 || e->d_name[tl] != '-')
			continue;
		pid = strtol(e->d_name + tl + 1, &end, 10);
		if (*end != '-' || pid <= 0 || pid == (long)getpid() || alive(pid))
			continue;
		path = xasprintf("%s/%s/s", base, e->d_name);
		unlink(path);
		free(path);
		path = xasprintf("%s/%s", base, e->d_name);
		if (rmdir(path) == 0 || (errno == ENOTDIR && unlink(path) == 0))
			count++;
		free(path);
	}
	closedir(d);
	return count;
}
