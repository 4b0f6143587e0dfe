/*
 * scrc-box.c - PID 1 of every judge container. It speaks boxproto.h on its
 * stdin/stdout (its control channel's socket, box-chan.c, or the pipes of
 * an attached `docker run -i` on the host), writes files
 * into the work directory, runs each program as a fresh process in its own
 * session, under a uid of its own, with stdin from a memory file and
 * stdout/stderr streamed back, enforces CPU time (through the container's
 * cgroup), wall time, memory and output size, kills everything left over
 * after each run, cleans what the run left (box-clean.c) and reports exit
 * status, CPU, wall time, peak memory (every byte the run held, see
 * box-cgroup.c) and OOM kills. Static, libc only; never trusts a byte it
 * reads.
 *
 * It starts as root with only the capabilities it needs to hand the
 * program another uid (SETUID, SETGID), to give it its directories (CHOWN)
 * and to kill it (KILL); the program, under that uid and with no
 * capability at all, can neither signal, trace, renice nor prlimit it.
 *
 * Usage (as the container's entrypoint): scrc-box WORKDIR [UID [ALLOWANCE]]
 * (without UID, or when not started as root, programs run as scrc-box's own
 * uid: unisolated, said so in HELLO; ALLOWANCE, the memory each run will be
 * allowed, lets the reserve be taken before the first run is asked for).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "box.h"
#include "boxproto.h"

#define BOX_TICK_MS		5	/* how often limits are checked */
#define BOX_FETCH_DEPTH		64
#define BOX_RUN_DIR		".run"
/*
 * The program's stack limit (Docker leaves 8 MiB): deep recursion is legal
 * in a solution. Stack pages are memory, so the memory limit still holds.
 */
#define BOX_STACK_BYTES		((rlim_t)256 << 20)
/*
 * What the kernel's limit leaves above a run's memory allowance: room for
 * the runtime's file cache (code pages) and the counters' per-CPU slack.
 * Over the allowance itself scrc-box kills at its next sample.
 */
#define BOX_MEM_SLACK		((int64_t)8 << 20)
/* Cleaning after a run; bounded by the inode limits, this is a backstop. */
#define BOX_CLEAN_MS		10000
#define BOX_MAX_SCRATCH		16
/*
 * A box reset for another submission may hold this much more charged
 * memory than it did fresh (kernel objects of the runtime's files); more,
 * and it is not reused.
 */
#define BOX_REUSE_SLACK		((int64_t)8 << 20)

/* The whole state of the helper; one instance, passed by pointer. */
struct box {
	const char	*workdir;
	int		 wfd;		/* workdir */
	int		 tmp_fd;	/* /tmp, /dev/shm, /dev/mqueue, or -1 */
	int		 shm_fd;
	int		 mq_fd;
	struct box_cg	 cg;
	uid_t		 uid;		/* the programs' uid and gid */
	gid_t		 gid;
	int		 isolated;	/* programs run under uid, not ours */
	int		 sig_fd;	/* signalfd for SIGCHLD */
	int		 in_fd;		/* memfd holding the next EXEC's stdin, or -1 */
	int		 in_error;	/* errno of a failed IN write, reported at EXEC */
	unsigned	 run_seq;
	/* Charged memory besides the reserve once greeted: a fresh box's. */
	int64_t		 base_charged;
	char		**put_names;	/* top-level names created by PUT */
	size_t		 nput_names;
	/*
	 * Top-level directories a program ran in by name (a build): writable
	 * by it, so removed before the next run in a fresh directory.
	 */
	char		*scratch[BOX_MAX_SCRATCH];
	size_t		 nscratch;
	/* buffered reader over fd 0 */
	char		 rbuf[BOXPROTO_CHUNK];
	size_t		 roff;
	size_t		 rlen;
};

/* One EXEC request, pointing into the request payload. */
struct box_exec {
	const char	 *cwd;
	uint64_t	  cpu_ms;
	uint64_t	  wall_ms;
	uint64_t	  output_cap;
	uint64_t	  file_size;
	uint64_t	  mem_limit;	/* bytes the run may hold; 0 = the container's */
	const char	 *fifo_in;	/* interactive: stdin's FIFO in BOX_IPC_DIR, or "" */
	const char	 *fifo_out;	/* stdout's FIFO, or "" */
	int		  out_first;	/* open stdout's FIFO before stdin's */
	char		**argv;
	char		**env;
};

/* What one run measured. */
struct box_result {
	int		 exited;
	int		 code;
	int		 signal;
	int64_t		 cpu_ms;
	int64_t		 wall_ms;
	int64_t		 memory;
	int		 oom;
	int		 pids_hit;	/* a fork failed at the container's pids limit */
	int		 cpu_hit;
	int		 wall_hit;
	int		 output_hit;
	int		 mem_hit;
	int		 clean;		/* everything the run left is gone */
	int		 stopped;	/* killed because the host said STOP */
};

static int	box_fill(struct box *b);
static int	box_read_exact(struct box *b, void *dst, size_t n);
static int	box_skip(struct box *b, uint64_t n);
static int	box_read_header(struct box *b, char *tag, uint64_t *len);
static int	box_read_field(struct box *b, char *dst, size_t size, uint64_t *left);
static void	box_write_all(const void *data, size_t len);
static void	box_send(const char *tag, const void *a, size_t alen, const void *d,
		    size_t dlen);
static void	box_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int64_t	box_now_ms(void);
static int64_t	box_self_cpu_us(void);
static int64_t	box_proc_cpu_us(void);
static int	box_open_parent(struct box *b, const char *path, int create,
		    const char **leaf);
static void	box_note_put(struct box *b, const char *path);
static int	box_clean(struct box *b, int cwd_fd, int workdir);
static int	box_give_tree(struct box *b, int dirfd, int depth);
static void	box_note_scratch(struct box *b, const char *path);
static int	box_is_scratch(const struct box *b, const char *name);
static int	box_open_cwd(struct box *b, const char *cwd, int *run_fd, char *run_name,
		    size_t size);
static int	box_sample_mem(struct box *b, int64_t *peak);
static int	box_probe_uid(struct box *b);
static void	box_do_put(struct box *b, uint64_t len);
static void	box_do_in(struct box *b, uint64_t len);
static void	box_do_exec(struct box *b, uint64_t len);
static void	box_do_fetch(struct box *b, uint64_t len);
static void	box_do_reset(struct box *b, uint64_t len);
static int	box_parse_exec(char *buf, size_t len, struct box_exec *ex);
static void	box_child(struct box *b, const struct box_exec *ex, int cwd_fd, int in_fd,
		    int out_w, int err_w) __attribute__((noreturn));
static int	box_run(struct box *b, const struct box_exec *ex, int cwd_fd,
		    struct box_result *r);
static void	box_send_result(const struct box_result *r);

/* Refills the read buffer; -1 on EOF or error. */
static int
box_fill(struct box *b)
{
	ssize_t n;

	if (b->roff < b->rlen)
		return 0;
	for (;;) {
		n = read(0, b->rbuf, sizeof b->rbuf);
		if (n > 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
	b->roff = 0;
	b->rlen = (size_t)n;
	return 0;
}

static int
box_read_exact(struct box *b, void *dst, size_t n)
{
	char *p = dst;
	size_t k;

	while (n > 0) {
		if (box_fill(b) != 0)
			return -1;
		k = b->rlen - b->roff;
		if (k > n)
			k = n;
		memcpy(p, b->rbuf + b->roff, k);
		b->roff += k;
		p += k;
		n -= k;
	}
	return 0;
}

static int
box_skip(struct box *b, uint64_t n)
{
	size_t k;

	while (n > 0) {
		if (box_fill(b) != 0)
			return -1;
		k = b->rlen - b->roff;
		if (k > n)
			k = (size_t)n;
		b->roff += k;
		n -= k;
	}
	return 0;
}

/* 0 with a header read; 1 on EOF before a header; -1 on a malformed one. */
static int
box_read_header(struct box *b, char *tag, uint64_t *len)
{
	char h[BOXPROTO_HEADER_MAX];
	size_t n = 0;
	int r;

	for (;;) {
		if (box_fill(b) != 0)
			return n == 0 ? 1 : -1;
		h[n++] = b->rbuf[b->roff++];
		r = boxproto_parse_header(h, n, tag, len);
		if (r > 0)
			return 0;
		if (r < 0)
			return -1;
	}
}

/*
 * Reads one NUL-terminated field of a payload that has *left bytes unread.
 * 0, or -1 when it is longer than size or the payload ends first.
 */
static int
box_read_field(struct box *b, char *dst, size_t size, uint64_t *left)
{
	size_t n = 0;
	char c;

	for (;;) {
		if (*left == 0 || n == size)
			return -1;
		if (box_read_exact(b, &c, 1) != 0)
			exit(1);
		(*left)--;
		dst[n++] = c;
		if (c == '\0')
			return 0;
	}
}

/* The host is our only reason to live: when it is gone, so are we. */
static void
box_write_all(const void *data, size_t len)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		n = write(1, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			exit(1);
		p += n;
		len -= (size_t)n;
	}
}

/* Sends one frame whose payload is a followed by d. */
static void
box_send(const char *tag, const void *a, size_t alen, const void *d, size_t dlen)
{
	char h[BOXPROTO_HEADER_MAX];
	struct iovec iov[3];
	ssize_t n;
	size_t skip, i;
	int hl;

	hl = boxproto_header(h, sizeof h, tag, (uint64_t)alen + dlen);
	if (hl < 0)
		exit(1);
	iov[0].iov_base = h;
	iov[0].iov_len = (size_t)hl;
	iov[1].iov_base = (void *)a;
	iov[1].iov_len = alen;
	iov[2].iov_base = (void *)d;
	iov[2].iov_len = dlen;
	/* One writev in the common case keeps a frame in one attach packet. */
	do {
		n = writev(1, iov, 3);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		exit(1);
	skip = (size_t)n;
	for (i = 0; i < 3; i++) {
		if (skip >= iov[i].iov_len) {
			skip -= iov[i].iov_len;
			continue;
		}
		box_write_all((const char *)iov[i].iov_base + skip, iov[i].iov_len - skip);
		skip = 0;
	}
}

static void
box_fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof msg)
		n = sizeof msg - 1;
	box_send("FAIL", msg, (size_t)n, NULL, 0);
}

static int64_t
box_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
box_self_cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* Without a cgroup: CPU of every live process but us, from /proc. */
static int64_t
box_proc_cpu_us(void)
{
	static long tck;
	char path[300], buf[1024], *p;
	struct dirent *de;
	unsigned long long ut, st;
	int64_t ticks = 0;
	DIR *d;

	if (tck <= 0)
		tck = sysconf(_SC_CLK_TCK);
	if (tck <= 0)
		tck = 100;
	d = opendir("/proc");
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9' || strcmp(de->d_name, "1") == 0)
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if (box_read_small(-1, path, buf, sizeof buf) < 0)
			continue;
		/* The command name may hold anything; fields resume after the last ')'. */
		p = strrchr(buf, ')');
		if (p == NULL)
			continue;
		if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		    &ut, &st) == 2)
			ticks += (int64_t)(ut + st);
	}
	closedir(d);
	return ticks * 1000000 / tck;
}

/*
 * Opens the directory that holds path's last component, walking from the
 * workdir one component at a time without following symlinks (creating
 * missing directories when create is set). Returns a directory fd and sets
 * *leaf, or -1 with errno.
 */
static int
box_open_parent(struct box *b, const char *path, int create, const char **leaf)
{
	char comp[BOXPROTO_PATH_MAX + 1];
	const char *p = path, *slash;
	int fd, nfd;
	size_t n;

	fd = dup(b->wfd);
	if (fd < 0)
		return -1;
	while ((slash = strchr(p, '/')) != NULL) {
		n = (size_t)(slash - p);
		memcpy(comp, p, n);
		comp[n] = '\0';
		nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT && create) {
			if (mkdirat(fd, comp, 0755) != 0 && errno != EEXIST) {
				close(fd);
				return -1;
			}
			nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		}
		close(fd);
		if (nfd < 0)
			return -1;
		fd = nfd;
		p = slash + 1;
	}
	*leaf = p;
	return fd;
}

static void
box_note_put(struct box *b, const char *path)
{
	size_t i, n = strcspn(path, "/");

	for (i = 0; i < b->nput_names; i++) {
		if (strlen(b->put_names[i]) == n && memcmp(b->put_names[i], path, n) == 0)
			return;
	}
	b->put_names = realloc(b->put_names, (b->nput_names + 1) * sizeof *b->put_names);
	if (b->put_names == NULL)
		exit(1);
	b->put_names[b->nput_names] = strndup(path, n);
	if (b->put_names[b->nput_names] == NULL)
		exit(1);
	b->nput_names++;
}

static void
box_do_put(struct box *b, uint64_t len)
{
	char path[BOXPROTO_PATH_MAX + 1], mode_s[16], buf[BOXPROTO_CHUNK];
	const char *leaf;
	uint64_t left = len;
	int dfd, fd = -1, mode, err = 0;
	size_t k;
	ssize_t w;

	if (box_read_field(b, path, sizeof path, &left) != 0 ||
	    box_read_field(b, mode_s, sizeof mode_s, &left) != 0) {
		if (box_skip(b, left) != 0)
			exit(1);
		box_fail("PUT: malformed fields");
		return;
	}
	if (!boxproto_path_ok(path) || boxproto_parse_mode(mode_s, &mode) != 0) {
		if (box_skip(b, left) != 0)
			exit(1);
		box_fail("PUT: bad path or mode");
		return;
	}
	dfd = box_open_parent(b, path, 1, &leaf);
	if (dfd < 0)
		err = errno;
	else {
		fd = openat(dfd, leaf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		    0600);
		if (fd < 0)
			err = errno;
		close(dfd);
	}
	/* Consume the whole payload even after an error, to stay in sync. */
	while (left > 0) {
		k = left < sizeof buf ? (size_t)left : sizeof buf;
		if (box_read_exact(b, buf, k) != 0)
			exit(1);
		left -= k;
		while (fd >= 0 && err == 0 && k > 0) {
			w = write(fd, buf, k);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				err = w < 0 ? errno : ENOSPC;
				break;
			}
			memmove(buf, buf + w, k - (size_t)w);
			k -= (size_t)w;
		}
	}
	if (fd >= 0) {
		if (err == 0 && fchmod(fd, (mode_t)mode) != 0)
			err = errno;
		if (close(fd) != 0 && err == 0)
			err = errno;
	}
	if (err != 0) {
		box_fail("PUT %s: %s", path, strerror(err));
		return;
	}
	box_note_put(b, path);
	box_send("OK", NULL, 0, NULL, 0);
}

static void
box_do_in(struct box *b, uint64_t len)
{
	char buf[BOXPROTO_CHUNK];
	size_t k, off;
	ssize_t w;

	if (b->in_fd < 0 && b->in_error == 0) {
		b->in_fd = memfd_create("stdin", MFD_CLOEXEC);
		if (b->in_fd < 0)
			b->in_error = errno;
	}
	while (len > 0) {
		k = len < sizeof buf ? (size_t)len : sizeof buf;
		if (box_read_exact(b, buf, k) != 0)
			exit(1);
		len -= k;
		for (off = 0; b->in_fd >= 0 && b->in_error == 0 && off < k; ) {
			w = write(b->in_fd, buf + off, k - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				b->in_error = w < 0 ? errno : ENOSPC;
				break;
			}
			off += (size_t)w;
		}
	}
}

/* Splits an EXEC payload into ex (pointers into buf). 0, or -1. */
static int
box_parse_exec(char *buf, size_t len, struct box_exec *ex)
{
	const char *f;
	uint64_t argc, envc, i;
	size_t pos = 0;

	memset(ex, 0, sizeof *ex);
	if (boxproto_next_field(buf, len, &pos, &ex->cwd) < 0)
		return -1;
	if (boxproto_next_field(buf, len, &pos, &f) < 0 || boxproto_parse_u64(f, &ex->cpu_ms))
		return -1;
	if (boxproto_next_field(buf, len, &pos, &f) < 0 || boxproto_parse_u64(f, &ex->wall_ms))
		return -1;
	if (boxproto_next_field(buf, len, &pos, &f) < 0 ||
	    boxproto_parse_u64(f, &ex->output_cap))
		return -1;
	if (boxproto_next_field(buf, len, &pos, &f) < 0 ||
	    boxproto_parse_u64(f, &ex->file_size))
		return -1;
	if (boxproto_next_field(buf, len, &pos, &f) < 0 ||
	    boxproto_parse_u64(f, &ex->mem_limit) || ex->mem_limit > ((uint64_t)1 << 50))
		return -1;
	if (boxproto_next_field(buf, len, &pos, &ex->fifo_in) < 0 ||
	    boxproto_next_field(buf, len, &pos, &ex->fifo_out) < 0 ||
	    boxproto_next_field(buf, len, &pos, &f) < 0 ||
	    (strcmp(f, "in") != 0 && strcmp(f, "out") != 0))
		return -1;
	ex->out_first = strcmp(f, "out") == 0;
	/* Both channels or neither. */
	if ((ex->fifo_in[0] == '\0') != (ex->fifo_out[0] == '\0'))
		return -1;
	if (boxproto_next_field(buf, len, &pos, &f) < 0 || boxproto_parse_u64(f, &argc) ||
	    argc == 0 || argc > len)
		return -1;
	ex->argv = calloc((size_t)argc + 1, sizeof *ex->argv);
	if (ex->argv == NULL)
		return -1;
	for (i = 0; i < argc; i++) {
		if (boxproto_next_field(buf, len, &pos, &f) < 0)
			return -1;
		ex->argv[i] = (char *)f;
	}
	if (ex->argv[0][0] == '\0')
		return -1;
	if (boxproto_next_field(buf, len, &pos, &f) < 0 || boxproto_parse_u64(f, &envc) ||
	    envc > len)
		return -1;
	ex->env = calloc((size_t)envc + 1, sizeof *ex->env);
	if (ex->env == NULL)
		return -1;
	for (i = 0; i < envc; i++) {
		if (boxproto_next_field(buf, len, &pos, &f) < 0)
			return -1;
		ex->env[i] = (char *)f;
	}
	return pos == len ? 0 : -1;
}

/* The forked child: becomes the program or exits 127. */
static void
box_child(struct box *b, const struct box_exec *ex, int cwd_fd, int in_fd, int out_w,
    int err_w)
{
	struct rlimit rl;
	sigset_t none;
	char **e;
	int ok = 1, fd;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setsid();
	if (ex->fifo_in[0] != '\0') {
		/* Interactive: the other box's program is on the far end of both. */
		if (box_ipc_open(ex->fifo_in, ex->fifo_out, ex->out_first) != 0) {
			dprintf(err_w, "scrc-box: opening the interaction channels: %s\n",
			    strerror(errno));
			_exit(127);
		}
		if (dup2(err_w, 2) < 0)
			_exit(127);
	} else if (dup2(in_fd, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0)
		_exit(127);
	/*
	 * When the container runs out of memory (a fork bomb's kernel memory
	 * counts too) the OOM killer must pick the program, never us (whose
	 * reserve is big): raising one's own score needs no privilege.
	 */
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "1000", 4) != 4)
			ok = 1;	/* best effort */
		close(fd);
	}
	/*
	 * From here on the program's own uid, for good: every capability is
	 * gone with the uid change, and nothing of ours can be reached.
	 */
	if (b->isolated && box_become(b->uid, b->gid) != 0) {
		dprintf(2, "scrc-box: cannot switch to uid %u: %s\n", (unsigned)b->uid,
		    strerror(errno));
		_exit(127);
	}
	/* A uid change made us undumpable; the program may read its own /proc. */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if (fchdir(cwd_fd) != 0)
		ok = 0;
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
	if (ex->file_size > 0) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)ex->file_size;
		setrlimit(RLIMIT_FSIZE, &rl);
	}
	/* Raise the soft limit only: the hard one needs a capability. */
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < BOX_STACK_BYTES) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > BOX_STACK_BYTES ?
		    BOX_STACK_BYTES : rl.rlim_max;
		setrlimit(RLIMIT_STACK, &rl);
	}
	if (ex->cpu_ms > 0) {
		/* A backstop only: the parent kills at the exact limit. */
		rl.rlim_cur = rl.rlim_max = (rlim_t)((ex->cpu_ms + 999) / 1000 + 1);
		setrlimit(RLIMIT_CPU, &rl);
	}
	/* execvpe searches our PATH, not the program's: adopt the program's. */
	unsetenv("PATH");
	for (e = ex->env; *e != NULL; e++) {
		if (strncmp(*e, "PATH=", 5) == 0)
			setenv("PATH", *e + 5, 1);
	}
	if (ok)
		execvpe(ex->argv[0], ex->argv, ex->env);
	dprintf(2, "scrc-box: cannot execute %s: %s\n", ex->argv[0], strerror(errno));
	_exit(127);
}

/*
 * Runs one program to completion and everything it started to death,
 * streaming its output. 0 with r filled, -1 (after a FAIL) when it could
 * not be started at all.
 */
static int
box_run(struct box *b, const struct box_exec *ex, int cwd_fd, struct box_result *r)
{
	int outp[2], errp[2], status, main_done = 0, killed = 0, children = 1;
	int fifo = ex->fifo_in[0] != '\0', watch = fifo;
	int64_t t0, now, last_check = 0, cpu0, self0, oom0, pids0, reaped_us = 0, used, timeout;
	int64_t mem0, mem_peak, cpu_at_kill = 0;
	uint64_t count[2] = { 0, 0 };
	struct signalfd_siginfo si;
	char buf[BOXPROTO_CHUNK];
	struct pollfd pfd[4];
	struct rusage ru;
	pid_t pid, w;
	int fds[2], i, nfds;
	ssize_t n;
	size_t allowed;

	memset(r, 0, sizeof *r);
	if (b->in_fd < 0) {
		b->in_fd = memfd_create("stdin", MFD_CLOEXEC);
		if (b->in_fd < 0) {
			box_fail("EXEC: memfd_create: %s", strerror(errno));
			return -1;
		}
	}
	if (lseek(b->in_fd, 0, SEEK_SET) != 0) {
		box_fail("EXEC: lseek: %s", strerror(errno));
		return -1;
	}
	if (fifo && box_ipc_prepare(ex->fifo_in, ex->fifo_out) != 0) {
		box_fail("EXEC: the interaction channels in %s: %s", BOX_IPC_DIR, strerror(errno));
		return -1;
	}
	if (pipe2(outp, O_CLOEXEC) != 0) {
		box_fail("EXEC: pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(errp, O_CLOEXEC) != 0) {
		box_fail("EXEC: pipe: %s", strerror(errno));
		close(outp[0]);
		close(outp[1]);
		return -1;
	}
	/*
	 * The run may hold its allowance and no more: the reserve takes the
	 * rest of the container's limit, so the kernel stops the program
	 * close to the allowance whatever kind of memory it uses.
	 */
	if (ex->mem_limit > 0)
		box_cg_reserve(&b->cg, (int64_t)ex->mem_limit + BOX_MEM_SLACK);
	cpu0 = box_cg_cpu_us(&b->cg);
	oom0 = box_cg_oom(&b->cg);
	pids0 = box_cg_pids_max(&b->cg);
	/* Ours, not the program's: scrc-box, the reserve, the input, the artifacts. */
	mem0 = box_cg_charged(&b->cg);
	mem_peak = mem0;
	self0 = box_self_cpu_us();
	t0 = box_now_ms();
	pid = fork();
	if (pid < 0) {
		box_fail("EXEC: fork: %s", strerror(errno));
		close(outp[0]);
		close(outp[1]);
		close(errp[0]);
		close(errp[1]);
		return -1;
	}
	if (pid == 0)
		box_child(b, ex, cwd_fd, b->in_fd, outp[1], errp[1]);
	close(outp[1]);
	close(errp[1]);
	fds[0] = outp[0];
	fds[1] = errp[0];
	if (fifo) {
		/* Its stdout goes to the other box: nothing comes this way. */
		close(fds[0]);
		fds[0] = -1;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);

	for (;;) {
		/* Reap whatever died: the program, orphans, daemons. */
		for (;;) {
			w = wait4(-1, &status, WNOHANG, &ru);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				children = 0;
				break;
			}
			if (w == 0)
				break;
			reaped_us += (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
			    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
			if ((int64_t)ru.ru_maxrss * 1024 > r->memory)
				r->memory = (int64_t)ru.ru_maxrss * 1024;
			if (w == pid) {
				main_done = 1;
				if (WIFEXITED(status)) {
					r->exited = 1;
					r->code = WEXITSTATUS(status);
				} else if (WIFSIGNALED(status))
					r->signal = WTERMSIG(status);
			}
		}
		if (main_done && !killed) {
			/* What the leftovers hold counts too, up to their last moment. */
			box_sample_mem(b, &mem_peak);
			/* Leftovers die with the program: children, daemons, all. */
			kill(-1, SIGKILL);
			killed = 1;
		} else if (killed && children)
			kill(-1, SIGKILL);
		if (main_done && !children && fds[0] < 0 && fds[1] < 0)
			break;

		now = box_now_ms();
		if (!killed && now - last_check >= BOX_TICK_MS) {
			last_check = now;
			/*
			 * rusage gives each process's own peak; the sum over
			 * processes alive together is only seen by sampling.
			 */
			box_sample_mem(b, &mem_peak);
			if (ex->mem_limit > 0 && mem0 >= 0 &&
			    mem_peak - mem0 > (int64_t)ex->mem_limit) {
				r->mem_hit = 1;
				kill(-1, SIGKILL);
				killed = 1;
			}
			if (!killed && ex->cpu_ms > 0) {
				used = cpu0 >= 0 ? box_cg_cpu_us(&b->cg) - cpu0 -
				    (box_self_cpu_us() - self0) : reaped_us + box_proc_cpu_us();
				if (used >= (int64_t)ex->cpu_ms * 1000) {
					r->cpu_hit = 1;
					cpu_at_kill = used;
					kill(-1, SIGKILL);
					killed = 1;
				}
			}
			if (!killed && ex->wall_ms > 0 && now - t0 >= (int64_t)ex->wall_ms) {
				r->wall_hit = 1;
				kill(-1, SIGKILL);
				killed = 1;
			}
		}

		nfds = 0;
		for (i = 0; i < 2; i++) {
			if (fds[i] < 0)
				continue;
			pfd[nfds].fd = fds[i];
			pfd[nfds].events = POLLIN;
			nfds++;
		}
		pfd[nfds].fd = b->sig_fd;
		pfd[nfds].events = POLLIN;
		nfds++;
		if (watch && !killed) {
			pfd[nfds].fd = 0;
			pfd[nfds].events = POLLIN;
			nfds++;
		}
		timeout = BOX_TICK_MS;
		if (!killed && ex->wall_ms > 0 && t0 + (int64_t)ex->wall_ms - now < timeout)
			timeout = t0 + (int64_t)ex->wall_ms - now;
		if (timeout < 0)
			timeout = 0;
		if (poll(pfd, (nfds_t)nfds, (int)timeout) < 0 && errno != EINTR)
			timeout = 0;
		while (read(b->sig_fd, &si, sizeof si) > 0)
			;
		if (watch && !killed && pfd[nfds - 1].fd == 0 && pfd[nfds - 1].revents != 0) {
			int stop = box_host_stop(b->rbuf, sizeof b->rbuf, &b->roff, &b->rlen);

			if (stop == 1) {
				/* The interactor has decided: no need to wait for the program. */
				r->stopped = 1;
				kill(-1, SIGKILL);
				killed = 1;
			} else if (stop < 0)
				watch = 0;
		}
		for (i = 0; i < 2; i++) {
			if (fds[i] < 0)
				continue;
			n = read(fds[i], buf, sizeof buf);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0) {
				close(fds[i]);
				fds[i] = -1;
				continue;
			}
			allowed = (size_t)n;
			if (ex->output_cap > 0) {
				allowed = count[i] >= ex->output_cap ? 0 :
				    (size_t)(ex->output_cap - count[i]);
				if (allowed > (size_t)n)
					allowed = (size_t)n;
				if ((uint64_t)n > allowed && !r->output_hit) {
					r->output_hit = 1;
					kill(-1, SIGKILL);
					killed = 1;
				}
			}
			count[i] += (uint64_t)n;
			if (allowed > 0)
				box_send(i == 0 ? "OUT" : "ERR", buf, allowed, NULL, 0);
		}
	}
	r->wall_ms = box_now_ms() - t0;
	if (cpu0 >= 0) {
		used = box_cg_cpu_us(&b->cg) - cpu0 - (box_self_cpu_us() - self0);
		if (used < 0)
			used = 0;
	} else
		used = reaped_us;
	/*
	 * Our own CPU after the kill (reaping, draining) is taken off the
	 * cgroup's figure by rusage, whose accounting is not the cgroup's: the
	 * difference once showed a CPU-limit TL at 999 of 1000 ms. The figure
	 * that stopped the program is the one the verdict rests on.
	 */
	if (used < cpu_at_kill)
		used = cpu_at_kill;
	r->cpu_ms = (used + 500) / 1000;
	if (oom0 >= 0 && box_cg_oom(&b->cg) > oom0)
		r->oom = 1;
	if (pids0 >= 0 && box_cg_pids_max(&b->cg) > pids0)
		r->pids_hit = 1;
	/* The larger of the biggest process and all of them together. */
	if (mem0 >= 0 && mem_peak - mem0 > r->memory)
		r->memory = mem_peak - mem0;
	/*
	 * The kernel kills only at the limit, which the reserve holds at the
	 * allowance + slack: a run it killed between two samples held at
	 * least its allowance, whatever the last sample saw.
	 */
	if (r->oom && ex->mem_limit > 0 && r->memory < (int64_t)ex->mem_limit)
		r->memory = (int64_t)ex->mem_limit;
	return 0;
}

/* Raises *peak to the memory charged to the container now. */
static int
box_sample_mem(struct box *b, int64_t *peak)
{
	int64_t v = box_cg_charged(&b->cg);

	if (v > *peak)
		*peak = v;
	return 0;
}

/*
 * Hands a tree that PUT made (directories owned by root) to the programs'
 * uid, so a build can write into it. Only directories change owner: the
 * files placed there stay root's, and the programs' uid may still remove
 * them (the directory is its). 0, or -1.
 */
static int
box_give_tree(struct box *b, int dirfd, int depth)
{
	struct dirent *de;
	DIR *d;
	int fd, sub, rc = 0;

	if (!b->isolated)
		return 0;
	if (fchown(dirfd, b->uid, b->gid) != 0 || depth >= BOX_FETCH_DEPTH)
		return -1;
	fd = dup(dirfd);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0 || box_give_tree(b, sub, depth + 1) != 0)
			rc = -1;
		if (sub >= 0)
			close(sub);
	}
	closedir(d);
	return rc;
}

/* Remembers the top-level directory of a named cwd as scratch. */
/* Whether a run has used the top-level directory name as its cwd. */
static int
box_is_scratch(const struct box *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->nscratch; i++)
		if (strcmp(b->scratch[i], name) == 0)
			return 1;
	return 0;
}

static void
box_note_scratch(struct box *b, const char *path)
{
	size_t i, n = strcspn(path, "/");

	for (i = 0; i < b->nscratch; i++)
		if (strlen(b->scratch[i]) == n && memcmp(b->scratch[i], path, n) == 0)
			return;
	if (b->nscratch == BOX_MAX_SCRATCH)
		return;
	b->scratch[b->nscratch] = strndup(path, n);
	if (b->scratch[b->nscratch] == NULL)
		exit(1);
	b->nscratch++;
}

/*
 * Removes what a run left: the contents of cwd_fd (when >= 0), /tmp,
 * /dev/shm, message queues, SysV IPC objects and, with workdir, the scratch
 * directories themselves. 1 when all of it is gone, 0 otherwise.
 */
static int
box_clean(struct box *b, int cwd_fd, int workdir)
{
	struct box_clean_job job;
	int dirs[3 + 1 + BOX_MAX_SCRATCH], sfd[BOX_MAX_SCRATCH];
	size_t n = 0, i, j;
	int rc;

	if (cwd_fd >= 0)
		dirs[n++] = cwd_fd;
	dirs[n++] = b->tmp_fd;
	dirs[n++] = b->shm_fd;
	dirs[n++] = b->mq_fd;
	for (i = 0; workdir && i < b->nscratch; i++) {
		sfd[i] = openat(b->wfd, b->scratch[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		dirs[n++] = sfd[i];
	}
	memset(&job, 0, sizeof job);
	job.uid = b->isolated ? b->uid : 0;
	job.gid = b->isolated ? b->gid : 0;
	job.dirs = dirs;
	job.ndirs = n;
	job.sig_fd = b->sig_fd;
	job.timeout_ms = BOX_CLEAN_MS;
	rc = box_clean_run(&job);
	if (!workdir)
		return rc == 0;
	for (i = 0; i < b->nscratch; i++) {
		if (sfd[i] >= 0)
			close(sfd[i]);
		if (unlinkat(b->wfd, b->scratch[i], AT_REMOVEDIR) != 0 && errno != ENOENT)
			rc = 1;
		/* Gone for good: no longer a name PUT made. */
		for (j = 0; j < b->nput_names; j++) {
			if (strcmp(b->put_names[j], b->scratch[i]) == 0) {
				free(b->put_names[j]);
				b->put_names[j] = b->put_names[--b->nput_names];
				break;
			}
		}
		free(b->scratch[i]);
	}
	b->nscratch = 0;
	return rc == 0;
}

static void
box_send_result(const struct box_result *r)
{
	char buf[512];
	int n;

	n = snprintf(buf, sizeof buf,
	    "%s=%d%c%s=%d%c%s=%d%c%s=%lld%c%s=%lld%c%s=%lld%c%s=%d%c%s=%d%c%s=%d%c%s=%d%c"
	    "%s=%d%c%s=%d%c%s=%d%c%s=%d%c",
	    BOXPROTO_R_EXITED, r->exited, 0, BOXPROTO_R_CODE, r->code, 0,
	    BOXPROTO_R_SIGNAL, r->signal, 0, BOXPROTO_R_CPU_MS, (long long)r->cpu_ms, 0,
	    BOXPROTO_R_WALL_MS, (long long)r->wall_ms, 0, BOXPROTO_R_MEMORY,
	    (long long)r->memory, 0, BOXPROTO_R_OOM, r->oom, 0, BOXPROTO_R_CPU_HIT,
	    r->cpu_hit, 0, BOXPROTO_R_WALL_HIT, r->wall_hit, 0, BOXPROTO_R_OUTPUT_HIT,
	    r->output_hit, 0, BOXPROTO_R_MEM_HIT, r->mem_hit, 0, BOXPROTO_R_CLEAN, r->clean, 0,
	    BOXPROTO_R_STOPPED, r->stopped, 0, BOXPROTO_R_PIDS_HIT, r->pids_hit, 0);
	if (n < 0 || (size_t)n >= sizeof buf)
		exit(1);
	box_send("RESULT", buf, (size_t)n, NULL, 0);
}

/*
 * Opens the directory a run starts in: a fresh one (empty cwd), the
 * workdir ("."), or a named one (a build's), which becomes scratch.
 * Returns its fd, or -1 after a FAIL. *run_fd/run_name are set for a
 * fresh one, so that it can be removed afterwards.
 */
static int
box_open_cwd(struct box *b, const char *cwd, int *run_fd, char *run_name, size_t size)
{
	const char *leaf;
	int fd = -1, dfd;

	if (cwd[0] == '\0') {
		if (mkdirat(b->wfd, BOX_RUN_DIR, 0755) != 0 && errno != EEXIST) {
			box_fail("EXEC: mkdir %s: %s", BOX_RUN_DIR, strerror(errno));
			return -1;
		}
		*run_fd = openat(b->wfd, BOX_RUN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		snprintf(run_name, size, "%u", ++b->run_seq);
		/* Its own, and nobody else's; its parent stays ours (read-only to it). */
		if (*run_fd < 0 || mkdirat(*run_fd, run_name, 0700) != 0 ||
		    (fd = openat(*run_fd, run_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC)) < 0 || (b->isolated && fchown(fd, b->uid, b->gid) != 0)) {
			box_fail("EXEC: creating the run directory: %s", strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		return fd;
	}
	if (strcmp(cwd, ".") == 0)
		fd = dup(b->wfd);
	else if (boxproto_path_ok(cwd)) {
		dfd = box_open_parent(b, cwd, 0, &leaf);
		if (dfd >= 0) {
			fd = openat(dfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			close(dfd);
		}
		if (fd >= 0) {
			box_note_scratch(b, cwd);
			if (box_give_tree(b, fd, 0) != 0) {
				box_fail("EXEC: cwd %s: cannot hand it over: %s", cwd,
				    strerror(errno));
				close(fd);
				return -1;
			}
		}
	} else {
		box_fail("EXEC: bad cwd");
		return -1;
	}
	if (fd < 0)
		box_fail("EXEC: cwd %s: %s", cwd, strerror(errno));
	return fd;
}

static void
box_do_exec(struct box *b, uint64_t len)
{
	struct box_exec ex;
	struct box_result r;
	char *buf, run_name[32];
	int cwd_fd = -1, fresh, run_fd = -1, clean = 1;

	if (len > BOXPROTO_FIELDS_MAX) {
		if (box_skip(b, len) != 0)
			exit(1);
		box_fail("EXEC: request too large");
		return;
	}
	buf = malloc((size_t)len + 1);
	if (buf == NULL)
		exit(1);
	if (box_read_exact(b, buf, (size_t)len) != 0)
		exit(1);
	buf[len] = '\0';
	if (box_parse_exec(buf, (size_t)len, &ex) != 0) {
		box_fail("EXEC: malformed request");
		goto out;
	}
	if (b->in_error != 0) {
		box_fail("EXEC: storing stdin: %s", strerror(b->in_error));
		goto out;
	}
	fresh = ex.cwd[0] == '\0';
	/* A test never sees the directory a build wrote in. */
	if (fresh && b->nscratch > 0)
		clean = box_clean(b, -1, 1);
	/*
	 * A top-level named directory is made when missing, and emptied when
	 * a run used it before: a run there never finds what the last one left
	 * (an interactor's OUTPUT from the test before).
	 */
	if (!fresh && strcmp(ex.cwd, ".") != 0 && strchr(ex.cwd, '/') == NULL &&
	    boxproto_path_ok(ex.cwd)) {
		if (box_is_scratch(b, ex.cwd))
			clean = box_clean(b, -1, 1);
		if (mkdirat(b->wfd, ex.cwd, 0755) != 0 && errno != EEXIST) {
			box_fail("EXEC: mkdir %s: %s", ex.cwd, strerror(errno));
			goto out;
		}
	}
	cwd_fd = box_open_cwd(b, ex.cwd, &run_fd, run_name, sizeof run_name);
	if (cwd_fd < 0)
		goto out;
	if (box_run(b, &ex, cwd_fd, &r) != 0)
		goto out;
	/* Leave nothing behind for the next run to find. */
	if (!box_clean(b, fresh ? cwd_fd : -1, fresh))
		clean = 0;
	if (fresh && unlinkat(run_fd, run_name, AT_REMOVEDIR) != 0)
		clean = 0;
	r.clean = clean;
	box_send_result(&r);
out:
	if (cwd_fd >= 0)
		close(cwd_fd);
	if (run_fd >= 0)
		close(run_fd);
	if (b->in_fd >= 0)
		close(b->in_fd);
	b->in_fd = -1;
	b->in_error = 0;
	free(ex.argv);
	free(ex.env);
	free(buf);
}

/* State of one FETCH walk. */
struct box_fetch {
	int		 send;
	uint64_t	 total;
	uint64_t	 max;
	unsigned	 count;
	int		 err;
	char		 msg[256];
};

static void	box_fetch_at(struct box_fetch *f, int dirfd, const char *leaf, char *rel,
		    size_t rlen, int depth);

/*
 * Visits dirfd/leaf, known to the host as rel (rel[0..rlen) in a buffer of
 * BOXPROTO_PATH_MAX + 1): counts it, or sends it when f->send.
 */
static void
box_fetch_at(struct box_fetch *f, int dirfd, const char *leaf, char *rel, size_t rlen,
    int depth)
{
	char head[BOXPROTO_PATH_MAX + 16], buf[BOXPROTO_CHUNK];
	struct dirent *de;
	struct stat st;
	size_t hl, nl, k;
	uint64_t left;
	ssize_t n;
	int fd;
	DIR *d;

	if (f->err)
		return;
	if (fstatat(dirfd, leaf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		f->err = 1;
		snprintf(f->msg, sizeof f->msg, "FETCH %s: %s", rel, strerror(errno));
		return;
	}
	if (S_ISREG(st.st_mode)) {
		if (!f->send) {
			f->total += (uint64_t)st.st_size;
			f->count++;
			if ((uint64_t)st.st_size > BOXPROTO_PAYLOAD_MAX - sizeof head) {
				f->err = 1;
				snprintf(f->msg, sizeof f->msg, "FETCH %s: too large", rel);
			} else if (f->total > f->max) {
				f->err = 1;
				snprintf(f->msg, sizeof f->msg, "FETCH: more than %llu bytes",
				    (unsigned long long)f->max);
			}
			return;
		}
		fd = openat(dirfd, leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		hl = (size_t)snprintf(head, sizeof head, "%s%c%o%c", rel, 0,
		    (unsigned)(st.st_mode & 07777), 0);
		{
			char h[BOXPROTO_HEADER_MAX];
			int l = boxproto_header(h, sizeof h, "FILE", hl + (uint64_t)st.st_size);

			if (l < 0)
				exit(1);
			box_write_all(h, (size_t)l);
		}
		box_write_all(head, hl);
		/* The length is promised: pad with zeros if the file shrank. */
		for (left = (uint64_t)st.st_size; left > 0; left -= k) {
			k = left < sizeof buf ? (size_t)left : sizeof buf;
			n = fd >= 0 ? read(fd, buf, k) : -1;
			if (n <= 0) {
				memset(buf, 0, k);
				if (!f->err) {
					f->err = 1;
					snprintf(f->msg, sizeof f->msg,
					    "FETCH %s: changed while read", rel);
				}
			} else
				k = (size_t)n;
			box_write_all(buf, k);
		}
		if (fd >= 0)
			close(fd);
		f->count++;
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;	/* symlinks, fifos, devices are not artifacts */
	if (depth >= BOX_FETCH_DEPTH) {
		f->err = 1;
		snprintf(f->msg, sizeof f->msg, "FETCH %s: too deep", rel);
		return;
	}
	fd = openat(dirfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		f->err = 1;
		snprintf(f->msg, sizeof f->msg, "FETCH %s: %s", rel, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL && !f->err) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		nl = strlen(de->d_name);
		if (rlen + 1 + nl > BOXPROTO_PATH_MAX) {
			f->err = 1;
			snprintf(f->msg, sizeof f->msg, "FETCH: path too long");
			break;
		}
		if (rlen > 0)
			rel[rlen] = '/';
		memcpy(rel + rlen + (rlen > 0), de->d_name, nl + 1);
		box_fetch_at(f, fd, de->d_name, rel, rlen + (rlen > 0) + nl, depth + 1);
		rel[rlen] = '\0';
	}
	closedir(d);
}

static void
box_do_fetch(struct box *b, uint64_t len)
{
	struct box_fetch f;
	char *buf, rel[BOXPROTO_PATH_MAX + 1], full[BOXPROTO_PATH_MAX + 2], done[32];
	const char *fld, *base, *name, *leaf;
	size_t pos = 0, blen, start;
	int pass, dfd;

	if (len > BOXPROTO_FIELDS_MAX) {
		if (box_skip(b, len) != 0)
			exit(1);
		box_fail("FETCH: request too large");
		return;
	}
	buf = malloc((size_t)len + 1);
	if (buf == NULL || box_read_exact(b, buf, (size_t)len) != 0)
		exit(1);
	memset(&f, 0, sizeof f);
	if (boxproto_next_field(buf, len, &pos, &fld) < 0 || boxproto_parse_u64(fld, &f.max) ||
	    boxproto_next_field(buf, len, &pos, &base) < 0) {
		box_fail("FETCH: malformed request");
		free(buf);
		return;
	}
	if (strcmp(base, ".") == 0)
		base = "";
	blen = strlen(base);
	if (blen > 0 && !boxproto_path_ok(base)) {
		box_fail("FETCH: bad base");
		free(buf);
		return;
	}
	start = pos;
	/* First count and check every name, then send: all or nothing. */
	for (pass = 0; pass < 2 && !f.err; pass++) {
		f.send = pass;
		for (pos = start; !f.err && boxproto_next_field(buf, len, &pos, &name) >= 0; ) {
			if (!boxproto_path_ok(name) ||
			    blen + 1 + strlen(name) > BOXPROTO_PATH_MAX) {
				f.err = 1;
				snprintf(f.msg, sizeof f.msg, "FETCH: bad name %.200s", name);
				break;
			}
			snprintf(full, sizeof full, "%s%s%s", base, blen > 0 ? "/" : "", name);
			snprintf(rel, sizeof rel, "%s", name);
			dfd = box_open_parent(b, full, 0, &leaf);
			if (dfd < 0) {
				f.err = 1;
				snprintf(f.msg, sizeof f.msg, "FETCH %.200s: %s", full,
				    strerror(errno));
				break;
			}
			box_fetch_at(&f, dfd, leaf, rel, strlen(rel), 0);
			close(dfd);
		}
		if (pass == 0)
			f.count = 0;
	}
	if (f.err)
		box_fail("%s", f.msg);
	else {
		int n = snprintf(done, sizeof done, "%u", f.count);

		box_send("DONE", done, (size_t)n + 1, NULL, 0);
	}
	free(buf);
}

/* 0 when a child can take on the programs' uid; else FAIL and -1. */
/* Removes a top-level name PUT made (root's: no program could write in it). */
static int
box_remove_put(struct box *b, const char *name)
{
	struct box_clean_job job;
	int fd;

	if (unlinkat(b->wfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	fd = openat(b->wfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	memset(&job, 0, sizeof job);
	job.dirs = &fd;
	job.ndirs = 1;
	job.sig_fd = b->sig_fd;
	job.timeout_ms = BOX_CLEAN_MS;
	(void)box_clean_run(&job);
	close(fd);
	return unlinkat(b->wfd, name, AT_REMOVEDIR) == 0 ? 0 : -1;
}

/*
 * RESET: between two submissions, the box is made what a fresh one is: the
 * programs' leftovers go (as between two runs, under their uid), then the
 * files the host put (root's), and then it is checked, not assumed: no
 * process but us, every writable place empty, no IPC object, and no more
 * charged memory than when we greeted (within BOX_REUSE_SLACK). OK, or
 * FAIL saying what was found (the host then removes the box).
 */
static void
box_do_reset(struct box *b, uint64_t len)
{
	int dirs[4] = { b->wfd, b->tmp_fd, b->shm_fd, b->mq_fd };
	char why[512];
	int64_t charged;
	int status, ok = 1;
	size_t i;

	if (box_skip(b, len) != 0)
		exit(1);
	/* No run is going on, so nothing should be there to kill: make sure. */
	kill(-1, SIGKILL);
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	if (!box_clean(b, -1, 1))
		ok = 0;
	for (i = 0; i < b->nput_names; i++) {
		if (box_remove_put(b, b->put_names[i]) != 0)
			ok = 0;
		free(b->put_names[i]);
	}
	b->nput_names = 0;
	if (b->in_fd >= 0)
		close(b->in_fd);
	b->in_fd = -1;
	b->in_error = 0;
	if (!ok) {
		box_fail("RESET: what the last submission left could not all be removed");
		return;
	}
	if (box_clean_verify(dirs, 4, BOX_RUN_DIR, why, sizeof why) != 0) {
		box_fail("RESET: %s", why);
		return;
	}
	charged = box_cg_charged(&b->cg) - (int64_t)b->cg.reserve_len;
	if (b->base_charged >= 0 && charged > b->base_charged + BOX_REUSE_SLACK) {
		box_fail("RESET: %lld bytes more are charged than when the box started",
		    (long long)(charged - b->base_charged));
		return;
	}
	snprintf(why, sizeof why, "charged=%lld", (long long)(charged - b->base_charged));
	box_send("OK", why, strlen(why) + 1, NULL, 0);
}

static int
box_probe_uid(struct box *b)
{
	int status, err = 0;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		box_fail("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		_exit(box_become(b->uid, b->gid) == 0 ? 0 : errno & 0x7f);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		err = WEXITSTATUS(status);
	else
		err = EINTR;
	if (err != 0) {
		box_fail("cannot run programs as uid %u: %s (is the uid mapped?)",
		    (unsigned)b->uid, strerror(err));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct box box;
	struct box *b = &box;
	char tag[BOXPROTO_TAG_MAX + 1], hello[128];
	uint64_t len;
	sigset_t set;
	int n, r;

	/* Keep our memory and descriptors out of reach through /proc/1. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	/* Before anything is said: with a channel, stdin and stdout are its socket. */
	if (box_chan_connect() != 0)
		return 1;
	if (argc < 2 || argc > 4 || argv[1][0] != '/') {
		fprintf(stderr, "usage: scrc-box WORKDIR [UID [ALLOWANCE]]\n");
		return 2;
	}
	b->workdir = argv[1];
	b->in_fd = -1;
	b->wfd = open(b->workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b->wfd < 0) {
		box_fail("workdir %s: %s", b->workdir, strerror(errno));
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	b->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (b->sig_fd < 0) {
		box_fail("signalfd: %s", strerror(errno));
		return 1;
	}
	if (argc >= 3 && geteuid() == 0) {
		uint64_t u;

		if (boxproto_parse_u64(argv[2], &u) != 0 || u == 0 || u >= 0xffffffffULL) {
			box_fail("bad uid %s", argv[2]);
			return 1;
		}
		b->uid = (uid_t)u;
		b->gid = (gid_t)u;
		b->isolated = 1;
		/* Find out now, not at the first test, when the uid cannot be had. */
		if (box_probe_uid(b) != 0)
			return 1;
	} else {
		b->uid = getuid();
		b->gid = getgid();
	}
	b->tmp_fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	b->shm_fd = open("/dev/shm", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	b->mq_fd = open("/dev/mqueue", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	box_cg_open(&b->cg, "/sys/fs/cgroup");
	/*
	 * Told the runs' allowance up front, take the reserve now: the host
	 * is busy elsewhere (a build) until it needs us, so this costs no
	 * time of the submission.
	 */
	if (argc == 4) {
		uint64_t a;

		if (boxproto_parse_u64(argv[3], &a) != 0 || a > ((uint64_t)1 << 50)) {
			box_fail("bad allowance %s", argv[3]);
			return 1;
		}
		if (a > 0)
			box_cg_reserve(&b->cg, (int64_t)a + BOX_MEM_SLACK);
	}
	b->base_charged = box_cg_charged(&b->cg) - (int64_t)b->cg.reserve_len;
	n = snprintf(hello, sizeof hello, "version=%d%ccgroup=%s%cuid=%u%cisolated=%d%c",
	    BOXPROTO_VERSION, 0, box_cg_name(&b->cg), 0, (unsigned)b->uid, 0, b->isolated, 0);
	box_send("HELLO", hello, (size_t)n, NULL, 0);

	for (;;) {
		r = box_read_header(b, tag, &len);
		if (r == 1)
			return 0;
		if (r < 0) {
			/* Out of sync: nothing further can be trusted. */
			box_fail("malformed frame header");
			return 1;
		}
		if (strcmp(tag, "PUT") == 0)
			box_do_put(b, len);
		else if (strcmp(tag, "IN") == 0)
			box_do_in(b, len);
		else if (strcmp(tag, "EXEC") == 0)
			box_do_exec(b, len);
		else if (strcmp(tag, "FETCH") == 0)
			box_do_fetch(b, len);
		else if (strcmp(tag, "RESET") == 0)
			box_do_reset(b, len);
		else if (strcmp(tag, "QUIT") == 0)
			return 0;
		else if (strcmp(tag, "STOP") == 0) {
			/* Late: the run it meant has ended already. */
			if (box_skip(b, len) != 0)
				return 1;
		}
		else {
			if (box_skip(b, len) != 0)
				return 1;
			box_fail("unknown frame %s", tag);
		}
	}
}
