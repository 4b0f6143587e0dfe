/*
 * docker.c - everything that talks to the docker CLI, through libpipeline
 * (argv only, never a shell), each call with a deadline, and the host side
 * of a box: one judge container with scrc-box as PID 1, started by one
 * `docker run -d --rm` and spoken to over its control channel's socket
 * (chan.h), or started and attached by one `docker run -i --rm`
 * (SCRC_BOX_CHANNEL=attach); the daemon removes the container once
 * scrc-box exits. Either way the stream carries boxproto.h frames.
 *
 * libpipeline 1.5.7 and the process: pipeline_start() calls error(FATAL),
 * which exits, when pipe() or fork() fails or the SIGCHLD handler cannot be
 * installed; pipeline_wait() exits when waitpid() reports ECHILD for a child
 * it still expects; pipeline_get_infile/outfile, pipeline_pump and the
 * *_infile/_outfile variants have more such paths and are not used here.
 * We hand libpipeline our own close-on-exec pipes (pipeline_want_in/out with
 * a descriptor, stderr through a pre-exec dup2) so that we own every
 * descriptor and libpipeline closes nothing twice. The fork/pipe exits
 * cannot be avoided short of not using libpipeline; they happen only when
 * the machine is out of processes or descriptors, and then `scrc run` exits
 * non-zero and the worker treats it as an infrastructure failure.
 * libpipeline's SIGCHLD handler reaps any child of the process
 * (waitpid(-1)); a program using this module must not wait for children of
 * its own in the same process.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pipeline.h>

#include "boxproto.h"
#include "chan.h"
#include "cligate.h"
#include "docker.h"
#include "tally.h"
#include "uidpool.h"
#include "util.h"

#define DOCKER_CAPTURE_MAX	(1024 * 1024)	/* stdout/stderr kept per CLI call */
#define DOCKER_ERRLOG_MAX	(16 * 1024)	/* stderr of a box's `docker run` kept */
#define DOCKER_CALL_MS		30000		/* ordinary CLI calls */
#define DOCKER_EXEC_GRACE_MS	15000		/* beyond the wall limit: kill, reap, clean */
#define DOCKER_IO_MS		30000		/* PUT/FETCH/QUIT round trips */
#define DOCKER_IN_CHUNK		(1024 * 1024)
#define DOCKER_CLOSE_MS		2000		/* waiting for the box to go after QUIT */
#define DOCKER_BOX_MOUNT	"/.scrc"
#define DOCKER_IPC_MOUNT	"/.scrc-ipc"	/* BOX_IPC_DIR of box.h */
/*
 * scrc-box starts as root with just what it needs to run programs under
 * their own uid and kill them; the programs get none of it.
 */
/* How long a box may take from `docker run` to its greeting (settable). */
static int64_t docker_start_ms = DOCKER_START_MS_DEFAULT;
static const char *const docker_box_caps[] = { "SETUID", "SETGID", "CHOWN", "KILL", NULL };
/* Inodes of each writable tmpfs: bounds what cleaning after a run costs. */
#define DOCKER_TMPFS_INODES	8192
#define DOCKER_NOFILE		"nofile=256:256"
#define DOCKER_NAME_ID_MAX	64

/* A started docker CLI process and our ends of its pipes (-1 when none). */
struct docker_proc {
	pipeline	*p;
	pid_t		 pid;
	int		 in;
	int		 out;
	int		 err;
	int		 err_w;		/* the child's end of err, for the pre-exec hook */
	char		*cmdline;
};

struct docker_box {
	char			*name;
	struct docker_proc	 proc;		/* the box's CLI: `run -i --rm` attached,
						   `run -d --rm` (podman: start) with a channel */
	int			 rfd;		/* the box's stream: the CLI's stdout, */
	int			 wfd;		/* stdin; or the channel's socket twice */
	struct chan		 chan;		/* listening until the box connects */
	int			 use_chan;	/* the stream is a channel (chan.h) */
	int			 eof;		/* the box closed its stream */
	int			 cli_st;	/* the CLI's exit status once reaped early,
						   else -2 */
	int			 broken;	/* stream unusable: no more requests */
	char			*rbuf;		/* bytes read from the box, not yet used */
	size_t			 rlen;
	size_t			 rcap;
	struct buf		 errlog;	/* the CLI's stderr, capped */
	struct buf		 frame;		/* payload of the last frame received */
	char			 cgroup[8];
	int			 ready;		/* the greeting was read */
	char			 vol[64];	/* helper volume it mounts */
	char			**args;		/* its `docker run` argv, until ready */
	char			*image;		/* until ready: to fill a lost volume */
	char			*box_path;
	struct uidpool_lease	 uid;		/* the uid its programs run as */
	int			 running;	/* an EXEC was sent, its RESULT not read */
	int64_t			 exec_deadline;	/* when a silent box counts as dead */
	int64_t			 exec_cap;	/* the run's output cap */
	struct docker_exec_result exec_res;	/* what the run sent so far */
	int			 quit_sent;	/* goodbye said, stdin closed */
	struct docker_box	*next_closing;	/* docker_box_close_later's list */
	char			*key;		/* docker_spec_key of its spec, or NULL */
	/*
	 * It may not serve another submission: a run left it unclean, was
	 * stopped or talked through FIFOs, or a request failed.
	 */
	int			 spent;
};

static const char *docker_cli = "docker";
/* Boxes speak through a channel (chan.h), not an attached CLI (settable). */
static int docker_use_chan = 1;
/* Boxes told goodbye whose end docker_box_close_all waits for. */
static struct docker_box *docker_closing;
static const char *docker_seccomp;
static enum docker_flavour docker_flavour_seen = DOCKER_FLAVOUR_UNKNOWN;
/* docker_first_ready(): the key of the first box made ready here. */
static char *docker_first_key;
/* docker_keep(): on, and the boxes kept instead of closed. */
static int docker_keep_on;
static struct docker_box *docker_kept[DOCKER_KEEP_MAX];
static size_t docker_nkept;
/* The helper volume already checked by this process, to skip a CLI call. */
static char docker_volume_ok[64];
/*
 * The helper volume checked by any process of this host for this engine:
 * a judge is one process per submission, and asking the engine each time
 * costs a CLI call. A marker that outlived its volume is found out by the
 * first box (scrc-box missing in it) and dropped (docker_box_ready).
 */
static void	docker_volume_mark(const char *vol, int ok);
static int	docker_volume_marked(const char *vol);
static int	docker_volume_marker(const char *vol, char *path, size_t size);
static int	docker_box_spawn(struct docker_box *box, char *errstr, size_t errstr_size);
static int	docker_box_refill(struct docker_box *box, char *errstr, size_t errstr_size);
static void	docker_box_goodbye(struct docker_box *box);
static void	docker_box_shut(struct docker_box *box);
static void	docker_box_stream_close(struct docker_box *box);
static int	docker_box_connect(struct docker_box *box, int64_t deadline, char *errstr,
		    size_t errstr_size);
static int	docker_box_unchan(struct docker_box *box, char *errstr, size_t errstr_size);
static void	docker_box_unstart(struct docker_box *box);
static int	docker_box_respawn(struct docker_box *box, char *errstr, size_t errstr_size);

static void	docker_dup_stderr(void *data);
static int	docker_spawn(const char *const *args, int want_in, int gated, const char *token,
		    struct docker_proc *dp,
		    char *errstr, size_t errstr_size);
static int	docker_cmd_run_token(const char *const *args, const void *in, size_t inlen,
		    const char *token, int64_t timeout_ms, struct docker_cmd *res, char *errstr,
		    size_t errstr_size);
static int	docker_gone(pid_t pid);
static int	docker_reap(struct docker_proc *dp, int64_t deadline, int *timed_out);
static void	docker_proc_close(struct docker_proc *dp);
static int	docker_write(int fd, const void *data, size_t len, int64_t deadline);
static void	docker_capture(struct buf *b, const char *data, size_t len, size_t max);
static const char *docker_owner(void);
static int	docker_run_simple(int64_t timeout_ms, struct docker_cmd *res, char *errstr,
		    size_t errstr_size, ...);
static void	docker_cmd_error(const struct docker_cmd *res, const char *what, char *errstr,
		    size_t errstr_size);
static uint32_t	docker_random(void);
static int	docker_volume(const struct docker_box_spec *spec, char *vol, size_t vol_size,
		    char *errstr, size_t errstr_size);
static int	docker_volume_fill(const struct docker_box_spec *spec, const char *vol,
		    char *errstr, size_t errstr_size);
static int	docker_rm(const char *name);
static size_t	docker_rm_args(const char **args);
static int	docker_rm_one(const char *name, struct docker_cmd *res, char *errstr,
		    size_t errstr_size);
static int	docker_box_owners(struct docker_cmd *res, char *errstr, size_t errstr_size);
static int	docker_ipc_orphans(void);
static const char **docker_args_lines(const char *const *head, size_t nhead, char *lines,
		    int *count);
static int	docker_box_send(struct docker_box *box, const char *tag, const void *a,
		    size_t alen, const void *d, size_t dlen, int64_t deadline, char *errstr,
		    size_t errstr_size);
static int	docker_box_recv(struct docker_box *box, char *tag, char **payload,
		    size_t *len, uint64_t max, int64_t deadline, char *errstr,
		    size_t errstr_size);
static int	docker_box_reply(struct docker_box *box, const char *what, int64_t deadline,
		    char *errstr, size_t errstr_size);
static void	docker_box_drain_err(struct docker_box *box);
static void	docker_box_broken(struct docker_box *box, char *errstr, size_t errstr_size,
		    const char *fmt, ...) UTIL_PRINTF(4, 5);

void
docker_set_flavour(enum docker_flavour flavour)
{
	docker_flavour_seen = flavour;
}

enum docker_flavour
docker_flavour(void)
{
	static const char *const args[] = { "--version", NULL };
	struct docker_cmd res;

	const char *known = getenv(DOCKER_FLAVOUR_ENV);

	if (docker_flavour_seen != DOCKER_FLAVOUR_UNKNOWN)
		return docker_flavour_seen;
	/* The worker asked once for all its judges: a CLI call each saved. */
	if (known != NULL && strcmp(known, "docker") == 0)
		return docker_flavour_seen = DOCKER_FLAVOUR_DOCKER;
	if (known != NULL && strcmp(known, "podman") == 0)
		return docker_flavour_seen = DOCKER_FLAVOUR_PODMAN;
	/* "podman version 4.3.1" / "Docker version 28.2.2, build ..." */
	docker_flavour_seen = DOCKER_FLAVOUR_DOCKER;
	if (docker_cmd_run(args, NULL, 0, DOCKER_CALL_MS, &res, NULL, 0) == 0 &&
	    res.status == 0 && res.out.data != NULL &&
	    strncasecmp(res.out.data, "podman", 6) == 0)
		docker_flavour_seen = DOCKER_FLAVOUR_PODMAN;
	docker_cmd_free(&res);
	log_debug("docker: the CLI %s is %s", docker_cli,
	    docker_flavour_seen == DOCKER_FLAVOUR_PODMAN ? "podman" : "docker");
	return docker_flavour_seen;
}

const char *
docker_flavour_name(void)
{
	return docker_flavour() == DOCKER_FLAVOUR_PODMAN ? "podman" : "docker";
}

void
docker_set_seccomp(const char *path)
{
	docker_seccomp = path != NULL && path[0] != '\0' ? path : NULL;
}

void
docker_set_start_timeout(int64_t ms)
{
	docker_start_ms = ms > 0 ? ms : DOCKER_START_MS_DEFAULT;
}

void
docker_set_channel(int on)
{
	docker_use_chan = on;
}

void
docker_set_cli(const char *path)
{
	docker_cli = path != NULL && *path != '\0' ? path : "docker";
	docker_flavour_seen = DOCKER_FLAVOUR_UNKNOWN;
}

/* Runs in the forked child just before exec: our pipe becomes its stderr. */
static void
docker_dup_stderr(void *data)
{
	int fd = *(int *)data;

	if (dup2(fd, 2) < 0)
		_exit(126);
}

/*
 * Starts `docker ARGS...` with stdout and stderr on pipes we read, and stdin
 * on a pipe we write when want_in, else /dev/null. All our ends are
 * close-on-exec and non-blocking, so no other child inherits them. A token
 * goes into the CLI's environment as CHAN_ENV_TOKEN (`-e NAME` passes it
 * on to the box), never into an argv anyone on the host can read. A gated
 * call (one that ends by itself, not a box's attached CLI) first waits for
 * a slot of the worker's gate (cligate.h).
 */
static int
docker_spawn(const char *const *args, int want_in, int gated, const char *token,
    struct docker_proc *dp, char *errstr, size_t errstr_size)
{
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, gate;
	pipecmd *cmd;
	size_t i;

	memset(dp, 0, sizeof *dp);
	dp->in = dp->out = dp->err = -1;
	if (want_in) {
		if (pipe2(inp, O_CLOEXEC) != 0)
			goto fail;
	} else {
		inp[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (inp[0] < 0)
			goto fail;
	}
	if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0)
		goto fail;

	cmd = pipecmd_new(docker_cli);
	for (i = 0; args[i] != NULL; i++)
		pipecmd_arg(cmd, args[i]);
	if (token != NULL)
		pipecmd_setenv(cmd, CHAN_ENV_TOKEN, token);
	/* libpipeline 1.5.7 never frees hook data: point into dp instead. */
	dp->err_w = errp[1];
	pipecmd_pre_exec(cmd, docker_dup_stderr, NULL, &dp->err_w);
	dp->p = pipeline_new();
	pipeline_command(dp->p, cmd);
	/* libpipeline dup2()s these in the child and closes them in the parent. */
	pipeline_want_in(dp->p, inp[0]);
	pipeline_want_out(dp->p, outp[1]);
	pipeline_ignore_signals(dp->p, 0);
	dp->cmdline = pipeline_tostring(dp->p);
	/* The slot is the CLI's until it ends (cligate.h). */
	gate = gated ? cligate_enter() : -1;
	pipeline_start(dp->p);
	dp->pid = pipeline_get_pid(dp->p, 0);
	cligate_held_by(gate, dp->pid);
	close(errp[1]);
	dp->in = inp[1];
	dp->out = outp[0];
	dp->err = errp[0];
	if (dp->in >= 0)
		fcntl(dp->in, F_SETFL, O_NONBLOCK);
	fcntl(dp->out, F_SETFL, O_NONBLOCK);
	fcntl(dp->err, F_SETFL, O_NONBLOCK);
	return 0;
fail:
	util_seterr(errstr, errstr_size, "%s: pipe: %s", docker_cli, strerror(errno));
	for (i = 0; i < 2; i++) {
		if (inp[i] >= 0)
			close(inp[i]);
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	return -1;
}

/* 1 when pid has exited (reaped, or a zombie waiting to be), else 0. */
static int
docker_gone(pid_t pid)
{
	char buf[256];
	const char *state;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return 1;
	errno = 0;
	state = util_proc_stat(pid, buf, sizeof buf);
	if (state == NULL)
		return errno == ENOENT;
	return *state == 'Z';
}

/*
 * Waits for the process to exit (libpipeline's SIGCHLD handler may reap it
 * first, or it stays a zombie until pipeline_wait), killing it at the
 * deadline, then collects its status: pipeline_wait has no timeout of its
 * own, so it is only called once the process is known to be gone. Returns
 * the exit status, or -1 when it did not exit normally.
 */
static int
docker_reap(struct docker_proc *dp, int64_t deadline, int *timed_out)
{
	struct timespec ts = { 0, 1000 * 1000 };
	int *statuses = NULL, n = 0, st;

	if (dp->p == NULL)
		return -1;
	while (dp->pid > 0 && !docker_gone(dp->pid)) {
		if (util_now_ms() >= deadline) {
			kill(dp->pid, SIGKILL);
			if (timed_out != NULL)
				*timed_out = 1;
			break;
		}
		nanosleep(&ts, NULL);
	}
	pipeline_wait_all(dp->p, &statuses, &n);
	st = n > 0 && WIFEXITED(statuses[0]) ? WEXITSTATUS(statuses[0]) : -1;
	free(statuses);
	pipeline_free(dp->p);
	dp->p = NULL;
	return st;
}

static void
docker_proc_close(struct docker_proc *dp)
{
	if (dp->in >= 0)
		close(dp->in);
	if (dp->out >= 0)
		close(dp->out);
	if (dp->err >= 0)
		close(dp->err);
	dp->in = dp->out = dp->err = -1;
	free(dp->cmdline);
	dp->cmdline = NULL;
}

/*
 * Writes all of data to a non-blocking fd by the deadline. A reader that is
 * gone gives EPIPE, not a SIGPIPE that would kill us: the signal is blocked
 * for the write and a pending one consumed. 0, or -1 with errno (ETIMEDOUT).
 */
static int
docker_write(int fd, const void *data, size_t len, int64_t deadline)
{
	const char *p = data;
	struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old;
	struct pollfd pfd;
	int64_t left;
	ssize_t n;
	int rc = 0, err = 0;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	while (len > 0) {
		n = write(fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN) {
			err = errno;
			rc = -1;
			break;
		}
		left = deadline - util_now_ms();
		if (left <= 0) {
			err = ETIMEDOUT;
			rc = -1;
			break;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
	}
	if (err == EPIPE && !sigismember(&old, SIGPIPE))
		sigtimedwait(&pipe_set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return rc;
}

/* Appends at most max bytes in total to b; the rest is read and dropped. */
static void
docker_capture(struct buf *b, const char *data, size_t len, size_t max)
{
	if (b->len >= max)
		return;
	buf_append(b, data, len < max - b->len ? len : max - b->len);
}

int
docker_cmd_run(const char *const *args, const void *in, size_t inlen, int64_t timeout_ms,
    struct docker_cmd *res, char *errstr, size_t errstr_size)
{
	return docker_cmd_run_token(args, in, inlen, NULL, timeout_ms, res, errstr, errstr_size);
}

/* docker_cmd_run, with a channel's token in the CLI's environment (docker_spawn). */
static int
docker_cmd_run_token(const char *const *args, const void *in, size_t inlen, const char *token,
    int64_t timeout_ms, struct docker_cmd *res, char *errstr, size_t errstr_size)
{
	struct docker_proc dp;
	struct pollfd pfd[3];
	char chunk[16384];
	const char *inp = in;
	int64_t deadline = util_now_ms() + timeout_ms, left;
	size_t inoff = 0;
	int nfds, i, *fdp[3];
	ssize_t n;

	memset(res, 0, sizeof *res);
	res->status = -1;
	buf_init(&res->out);
	buf_init(&res->err);
	if (docker_spawn(args, in != NULL, 1, token, &dp, errstr, errstr_size) != 0)
		return -1;
	if (in != NULL && inlen == 0) {
		close(dp.in);
		dp.in = -1;
	}
	while (dp.out >= 0 || dp.err >= 0) {
		nfds = 0;
		if (dp.in >= 0) {
			pfd[nfds].fd = dp.in;
			pfd[nfds].events = POLLOUT;
			fdp[nfds++] = &dp.in;
		}
		if (dp.out >= 0) {
			pfd[nfds].fd = dp.out;
			pfd[nfds].events = POLLIN;
			fdp[nfds++] = &dp.out;
		}
		if (dp.err >= 0) {
			pfd[nfds].fd = dp.err;
			pfd[nfds].events = POLLIN;
			fdp[nfds++] = &dp.err;
		}
		left = deadline - util_now_ms();
		if (left <= 0) {
			res->timed_out = 1;
			break;
		}
		if (poll(pfd, (nfds_t)nfds, (int)(left > 1000 ? 1000 : left)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < nfds; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (fdp[i] == &dp.in) {
				/* Whatever fits now; the loop comes back for the rest. */
				n = 0;
				if (!(pfd[i].revents & (POLLERR | POLLHUP)))
					n = write(dp.in, inp + inoff, inlen - inoff > 65536 ?
					    65536 : inlen - inoff);
				if (n > 0)
					inoff += (size_t)n;
				if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
				    (pfd[i].revents & (POLLERR | POLLHUP)) || inoff == inlen) {
					close(dp.in);
					dp.in = -1;
				}
				continue;
			}
			n = read(*fdp[i], chunk, sizeof chunk);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0) {
				close(*fdp[i]);
				*fdp[i] = -1;
				continue;
			}
			docker_capture(fdp[i] == &dp.out ? &res->out : &res->err, chunk,
			    (size_t)n, DOCKER_CAPTURE_MAX);
		}
	}
	if (res->timed_out)
		deadline = util_now_ms();
	res->status = docker_reap(&dp, deadline + 1000, &res->timed_out);
	if (res->timed_out) {
		util_seterr(errstr, errstr_size, "timed out after %lld ms: %s",
		    (long long)timeout_ms, dp.cmdline);
		docker_proc_close(&dp);
		return -1;
	}
	docker_proc_close(&dp);
	return 0;
}

void
docker_cmd_free(struct docker_cmd *res)
{
	if (res == NULL)
		return;
	buf_free(&res->out);
	buf_free(&res->err);
}

/* Runs `docker` with the NULL-terminated string arguments that follow. */
static int
docker_run_simple(int64_t timeout_ms, struct docker_cmd *res, char *errstr,
    size_t errstr_size, ...)
{
	const char *args[32];
	va_list ap;
	size_t n = 0;

	va_start(ap, errstr_size);
	while (n < sizeof args / sizeof *args - 1 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	return docker_cmd_run(args, NULL, 0, timeout_ms, res, errstr, errstr_size);
}

/* "what failed (exit N): first line of stderr" */
static void
docker_cmd_error(const struct docker_cmd *res, const char *what, char *errstr,
    size_t errstr_size)
{
	const char *e = res->err.data != NULL ? res->err.data : "";
	size_t n = strcspn(e, "\n");

	util_seterr(errstr, errstr_size, "%s (exit %d): %.*s", what, res->status,
	    (int)(n > 300 ? 300 : n), e);
}

int
docker_ping(int64_t timeout_ms, char *errstr, size_t errstr_size)
{
	struct docker_cmd res;
	int rc;

	if (docker_run_simple(timeout_ms, &res, errstr, errstr_size, "version", "--format",
	    "{{.Server.Version}}", NULL) != 0) {
		docker_cmd_free(&res);
		return -1;
	}
	rc = res.status == 0 ? 0 : -1;
	if (rc != 0)
		docker_cmd_error(&res, "docker version", errstr, errstr_size);
	docker_cmd_free(&res);
	return rc;
}

int
docker_image_exists(const char *image, char *errstr, size_t errstr_size)
{
	struct docker_cmd res;
	int rc;

	if (image == NULL || image[0] == '\0' || image[0] == '-') {
		util_seterr(errstr, errstr_size, "invalid image name \"%s\"", image ? image : "");
		return -1;
	}
	if (docker_run_simple(DOCKER_CALL_MS, &res, errstr, errstr_size, "image", "inspect",
	    "--format", "{{.Id}}", "--", image, NULL) != 0) {
		docker_cmd_free(&res);
		return -1;
	}
	rc = res.status == 0 ? 0 : -1;
	if (rc != 0)
		docker_cmd_error(&res, "docker image inspect", errstr, errstr_size);
	docker_cmd_free(&res);
	return rc;
}

/*
 * An argv: the nhead words of head, then each non-empty line of lines (cut
 * in place; ids from `ps -q`). *count says how many lines. Free the array
 * (not its strings).
 */
static const char **
docker_args_lines(const char *const *head, size_t nhead, char *lines, int *count)
{
	const char **args;
	size_t n, cap = nhead + 16;
	char *p = lines, *line;

	args = xmalloc(cap * sizeof *args);
	for (n = 0; n < nhead; n++)
		args[n] = head[n];
	*count = 0;
	while (p != NULL && (line = strsep(&p, "\n")) != NULL) {
		if (*line == '\0')
			continue;
		if (n + 2 > cap) {
			cap *= 2;
			args = xrealloc(args, cap * sizeof *args);
		}
		args[n++] = line;
		(*count)++;
	}
	args[n] = NULL;
	return args;
}

int
docker_cleanup(const char *submission_id, char *errstr, size_t errstr_size)
{
	struct docker_cmd res;
	const char **args;
	char *filter = NULL;
	size_t n;
	int count = 0, rc;

	if (submission_id != NULL) {
		filter = xasprintf("label=scrc.submission=%s", submission_id);
		rc = docker_run_simple(DOCKER_CALL_MS, &res, errstr, errstr_size, "ps", "-aq",
		    "--no-trunc", "--filter", "label=scrc=1", "--filter", filter, NULL);
	} else
		rc = docker_run_simple(DOCKER_CALL_MS, &res, errstr, errstr_size, "ps", "-aq",
		    "--no-trunc", "--filter", "label=scrc=1", NULL);
	free(filter);
	if (rc != 0 || res.status != 0) {
		if (rc == 0)
			docker_cmd_error(&res, "docker ps", errstr, errstr_size);
		docker_cmd_free(&res);
		return -1;
	}
	{
		const char *head[6];

		n = docker_rm_args(head);
		args = docker_args_lines(head, n, res.out.data, &count);
	}
	if (count > 0) {
		struct docker_cmd rm;

		rc = docker_cmd_run(args, NULL, 0, DOCKER_CALL_MS * 2, &rm, errstr, errstr_size);
		if (rc == 0 && rm.status != 0) {
			docker_cmd_error(&rm, "docker rm -f", errstr, errstr_size);
			rc = -1;
		}
		docker_cmd_free(&rm);
		if (rc != 0)
			count = -1;
	}
	free(args);
	docker_cmd_free(&res);
	return count;
}

/*
 * The process that owns a box: "HOST/PID" of the scrc judging it. A
 * container whose owner on this host is gone was left by a crash.
 */
static const char *
docker_owner(void)
{
	static char owner[300];

	if (owner[0] == '\0') {
		char host[256];

		if (gethostname(host, sizeof host) != 0)
			strcpy(host, "?");
		host[sizeof host - 1] = '\0';
		snprintf(owner, sizeof owner, "%s/%ld", host, (long)getpid());
	}
	return owner;
}

/* 1 when pid is a live scrc process on this host. */
static int
docker_owner_alive(long pid)
{
	char path[64], comm[64];
	FILE *f;
	int alive = 0;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%ld/comm", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(comm, sizeof comm, f) != NULL)
		alive = strncmp(comm, "scrc", 4) == 0;
	fclose(f);
	return alive;
}

/*
 * "ID OWNER" lines of every scrc container into res->out: the ids from
 * `ps`, the owner labels from one `inspect` (podman's ps cannot print a
 * label). 0, or -1 with errstr (res freed).
 */
static int
docker_box_owners(struct docker_cmd *res, char *errstr, size_t errstr_size)
{
	static const char *const head[] = { "inspect", "-f",
		"{{.Id}} {{index .Config.Labels \"" DOCKER_OWNER_LABEL "\"}}" };
	const char **args;
	int count, rc;

	if (docker_run_simple(DOCKER_CALL_MS, res, errstr, errstr_size, "ps", "-aq",
	    "--no-trunc", "--filter", "label=scrc=1", NULL) != 0)
		return -1;
	if (res->status != 0) {
		docker_cmd_error(res, "docker ps", errstr, errstr_size);
		docker_cmd_free(res);
		return -1;
	}
	args = docker_args_lines(head, 3, res->out.data, &count);
	if (count == 0) {
		/* None: an empty listing, not an inspect of nothing. */
		free(args);
		buf_reset(&res->out);
		return 0;
	}
	{
		struct docker_cmd ins;

		rc = docker_cmd_run(args, NULL, 0, DOCKER_CALL_MS, &ins, errstr, errstr_size);
		free(args);
		docker_cmd_free(res);
		/* A box that went away between the two calls makes inspect fail: fine. */
		if (rc != 0) {
			docker_cmd_free(&ins);
			return -1;
		}
		*res = ins;
	}
	return 0;
}

int
docker_cleanup_orphans(char *errstr, size_t errstr_size)
{
	struct docker_cmd res;
	char host[256], *p, *line;
	int count = 0;

	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "?");
	host[sizeof host - 1] = '\0';
	if (docker_box_owners(&res, errstr, errstr_size) != 0)
		return -1;
	for (p = res.out.data; p != NULL && (line = strsep(&p, "\n")) != NULL; ) {
		char *id = line, *owner = strchr(line, ' '), *slash;
		struct docker_cmd rm;

		if (*line == '\0' || owner == NULL)
			continue;
		*owner++ = '\0';
		slash = strrchr(owner, '/');
		/* Leave other hosts' boxes and those of live judges alone. */
		if (slash == NULL || (size_t)(slash - owner) != strlen(host) ||
		    strncmp(owner, host, strlen(host)) != 0 ||
		    docker_owner_alive(strtol(slash + 1, NULL, 10)))
			continue;
		if (docker_rm_one(id, &rm, NULL, 0) == 0 && rm.status == 0)
			count++;
		docker_cmd_free(&rm);
	}
	docker_cmd_free(&res);
	return count + docker_ipc_orphans() + chan_sweep(docker_owner_alive);
}

static uint32_t
docker_random(void)
{
	uint32_t r;

	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != sizeof r)
		r = (uint32_t)util_now_ms() ^ ((uint32_t)getpid() << 16);
	return r;
}

int
docker_box_name(char *out, size_t size, const char *submission_id, const char *role,
    uint32_t rnd)
{
	char id[DOCKER_NAME_ID_MAX + 1], ro[17];
	const char *src[2] = { submission_id, role };
	char *dst[2] = { id, ro };
	size_t max[2] = { DOCKER_NAME_ID_MAX, 16 }, i, j;
	int n;

	for (i = 0; i < 2; i++) {
		const char *s = src[i] != NULL ? src[i] : "";

		for (j = 0; s[j] != '\0' && j < max[i]; j++) {
			char c = s[j];

			dst[i][j] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ? c : '_';
		}
		if (j == 0)
			dst[i][j++] = 'x';
		dst[i][j] = '\0';
	}
	n = snprintf(out, size, "scrc-%s-%s-%08x", id, ro, rnd);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

void
docker_args_free(char **args)
{
	size_t i;

	if (args == NULL)
		return;
	for (i = 0; args[i] != NULL; i++)
		free(args[i]);
	free(args);
}

char **
docker_box_args(const struct docker_box_spec *spec, const char *name, const char *volume,
    char *errstr, size_t errstr_size)
{
	char **v, inodes[32];
	size_t n = 0, i;
	const char *w = spec->workdir;
	int podman = docker_flavour() == DOCKER_FLAVOUR_PODMAN;

	if (spec->image == NULL || spec->image[0] == '\0' || spec->image[0] == '-') {
		util_seterr(errstr, errstr_size, "invalid image \"%s\"",
		    spec->image ? spec->image : "");
		return NULL;
	}
	/* The workdir goes into a --tmpfs spec: ',' and ':' would change its meaning. */
	if (w == NULL || w[0] != '/' || w[1] == '\0' || strpbrk(w, ",: \t\n") != NULL ||
	    strcmp(w, "/tmp") == 0 || strncmp(w, DOCKER_BOX_MOUNT, strlen(DOCKER_BOX_MOUNT)) == 0) {
		util_seterr(errstr, errstr_size, "invalid workdir \"%s\"", w ? w : "");
		return NULL;
	}
	if (spec->memory_bytes <= 0 || spec->workdir_bytes <= 0 || spec->pids_limit <= 0 ||
	    spec->cpus < 0) {
		util_seterr(errstr, errstr_size, "invalid box limits");
		return NULL;
	}
	if (spec->submission_id == NULL || spec->role == NULL) {
		util_seterr(errstr, errstr_size, "box needs a submission id and a role");
		return NULL;
	}
	if (spec->uid == 0) {
		util_seterr(errstr, errstr_size, "box needs a program uid");
		return NULL;
	}
	/* The channel's path goes into a --mount spec: no ',' or quote in it. */
	if (spec->chan_dir != NULL && (spec->chan_dir[0] != '/' ||
	    strpbrk(spec->chan_dir, ",\"'\n") != NULL)) {
		util_seterr(errstr, errstr_size, "invalid socket directory \"%s\"",
		    spec->chan_dir);
		return NULL;
	}
	v = xcalloc(80, sizeof *v);
	/* With a channel no CLI stays: the box is started detached. */
	if (podman) {
		v[n++] = xstrdup("create");
		if (spec->chan_dir == NULL)
			v[n++] = xstrdup("-i");
	} else {
		v[n++] = xstrdup("run");
		v[n++] = xstrdup(spec->chan_dir != NULL ? "-d" : "-i");
		v[n++] = xstrdup("--rm");
	}
	v[n++] = xstrdup("--name");
	v[n++] = xstrdup(name);
	v[n++] = xstrdup("--label");
	v[n++] = xstrdup("scrc=1");
	v[n++] = xstrdup("--label");
	v[n++] = xasprintf("scrc.submission=%s", spec->submission_id);
	v[n++] = xstrdup("--label");
	v[n++] = xasprintf("scrc.role=%s", spec->role);
	v[n++] = xstrdup("--label");
	v[n++] = xasprintf("%s=%s", DOCKER_OWNER_LABEL, docker_owner());
	v[n++] = xstrdup("--label");
	v[n++] = xasprintf("scrc.uid=%u", spec->uid);
	v[n++] = xstrdup("--pull");
	v[n++] = xstrdup("never");
	v[n++] = xstrdup("--network");
	v[n++] = xstrdup("none");
	v[n++] = xstrdup("--user");
	v[n++] = xstrdup("0:0");
	v[n++] = xstrdup("--read-only");
	v[n++] = xstrdup("--cap-drop");
	v[n++] = xstrdup("ALL");
	for (i = 0; docker_box_caps[i] != NULL; i++) {
		v[n++] = xstrdup("--cap-add");
		v[n++] = xstrdup(docker_box_caps[i]);
	}
	v[n++] = xstrdup("--security-opt");
	v[n++] = xstrdup("no-new-privileges");
	if (docker_seccomp != NULL) {
		/* The CLI reads the file and sends it: a remote daemon needs no copy. */
		v[n++] = xstrdup("--security-opt");
		v[n++] = xasprintf("seccomp=%s", docker_seccomp);
	}
	v[n++] = xstrdup("--pids-limit");
	v[n++] = xasprintf("%lld", (long long)spec->pids_limit);
	v[n++] = xstrdup("--memory");
	v[n++] = xasprintf("%lld", (long long)spec->memory_bytes);
	v[n++] = xstrdup("--memory-swap");
	v[n++] = xasprintf("%lld", (long long)spec->memory_bytes);
	if (spec->cpus > 0) {
		v[n++] = xstrdup("--cpus");
		v[n++] = xasprintf("%.3f", spec->cpus);
	}
	/*
	 * The workdir is root's (artifacts read-only to programs, which get a
	 * directory of their own inside); /tmp and /dev/shm are anybody's and
	 * emptied after every run. Every page written there is memory of the
	 * container, charged to the run that wrote it.
	 */
	/*
	 * podman 4.3 refuses nr_inodes: there the memory limit bounds the
	 * inodes (each is kernel memory charged to the container).
	 */
	if (podman)
		inodes[0] = '\0';
	else
		snprintf(inodes, sizeof inodes, ",nr_inodes=%d", DOCKER_TMPFS_INODES);
	v[n++] = xstrdup("--tmpfs");
	v[n++] = xasprintf("%s:rw,exec,nosuid,nodev,size=%lld%s,mode=0755", w,
	    (long long)spec->workdir_bytes, inodes);
	v[n++] = xstrdup("--tmpfs");
	v[n++] = xasprintf("/tmp:rw,exec,nosuid,nodev,size=%lld%s,mode=1777",
	    (long long)spec->workdir_bytes, inodes);
	v[n++] = xstrdup("--tmpfs");
	v[n++] = xasprintf("/dev/shm:rw,nosuid,nodev,noexec,size=%lld%s,mode=1777",
	    (long long)spec->workdir_bytes, inodes);
	v[n++] = xstrdup("--mount");
	v[n++] = xasprintf("type=volume,src=%s,dst=%s,ro", volume, DOCKER_BOX_MOUNT);
	if (spec->ipc_volume != NULL) {
		/* Interactive: the channels to the other box (scrc-box closes the dir). */
		v[n++] = xstrdup("--mount");
		v[n++] = xasprintf("type=volume,src=%s,dst=%s", spec->ipc_volume, DOCKER_IPC_MOUNT);
	}
	if (spec->chan_dir != NULL) {
		/* The token's value comes from the CLI's environment (docker_spawn). */
		v[n++] = xstrdup("--mount");
		v[n++] = xasprintf("type=bind,src=%s,dst=%s", spec->chan_dir, CHAN_MOUNT);
		v[n++] = xstrdup("--env");
		v[n++] = xstrdup(CHAN_ENV_PATH "=" CHAN_BOX_PATH);
		v[n++] = xstrdup("--env");
		v[n++] = xstrdup(CHAN_ENV_TOKEN);
	}
	v[n++] = xstrdup("--ulimit");
	v[n++] = xstrdup(DOCKER_NOFILE);
	if (podman) {
		/*
		 * podman's default process limit is more than a process here may
		 * set, and the container then fails to start. The pids limit is
		 * what bounds a box; this only has to be at least as large.
		 */
		v[n++] = xstrdup("--ulimit");
		v[n++] = xasprintf("nproc=%lld:%lld", (long long)spec->pids_limit + 64,
		    (long long)spec->pids_limit + 64);
	}
	/* The stream carries every byte the program prints: keep it off the disk. */
	v[n++] = xstrdup("--log-driver");
	v[n++] = xstrdup("none");
	v[n++] = xstrdup("--entrypoint");
	v[n++] = xstrdup(DOCKER_BOX_MOUNT "/scrc-box");
	v[n++] = xstrdup(spec->image);
	v[n++] = xstrdup(w);
	v[n++] = xasprintf("%u", spec->uid);
	if (spec->allowance > 0)
		v[n++] = xasprintf("%lld", (long long)spec->allowance);
	v[n] = NULL;
	return v;
}

/* The volume holding this exact scrc-box binary, created and filled once. */
static int
docker_volume(const struct docker_box_spec *spec, char *vol, size_t vol_size, char *errstr,
    size_t errstr_size)
{
	uint64_t h = 14695981039346656037ULL;
	unsigned char chunk[65536];
	ssize_t n;
	size_t i;
	int fd, rc, lock;

	if (spec->box_path == NULL) {
		util_seterr(errstr, errstr_size, "no scrc-box binary configured (set SCRC_BOX)");
		return -1;
	}
	fd = open(spec->box_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		util_seterr(errstr, errstr_size, "scrc-box helper %s: %s (set SCRC_BOX)",
		    spec->box_path, strerror(errno));
		return -1;
	}
	/* FNV-1a over the contents: a new build gets a new volume. */
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		for (i = 0; i < (size_t)n; i++) {
			h ^= chunk[i];
			h *= 1099511628211ULL;
		}
	}
	close(fd);
	if (n < 0) {
		util_seterr(errstr, errstr_size, "scrc-box helper %s: %s (set SCRC_BOX)",
		    spec->box_path, strerror(errno));
		return -1;
	}
	snprintf(vol, vol_size, "scrc-box-%016llx", (unsigned long long)h);
	if (strcmp(vol, docker_volume_ok) == 0)
		return 0;
	if (docker_volume_marked(vol)) {
		snprintf(docker_volume_ok, sizeof docker_volume_ok, "%s", vol);
		return 0;
	}
	/*
	 * Judges of one host start together: one checks and fills while the
	 * others wait, so that none starts a box on a half-filled volume (and
	 * podman's volume create fails for a name that exists).
	 */
	lock = uidpool_host_lock("volume", errstr, errstr_size);
	if (lock < 0)
		return -1;
	rc = docker_volume_fill(spec, vol, errstr, errstr_size);
	if (rc == 0)
		docker_volume_mark(vol, 1);
	close(lock);
	return rc;
}

/*
 * The marker's path for vol on the engine this process talks to (the
 * CLI's kind, the variables that pick its engine, and the user: rootless
 * podman keeps a store per user). 0, or -1.
 */
static int
docker_volume_marker(const char *vol, char *path, size_t size)
{
	static const char *const vars[] = { "DOCKER_HOST", "DOCKER_CONTEXT", "CONTAINER_HOST",
	    NULL };
	uint64_t h = 14695981039346656037ULL;
	const char *v, *p;
	char name[128];
	size_t i;

	snprintf(name, sizeof name, "%s:%ld", docker_flavour_name(), (long)getuid());
	for (i = 0; ; i++) {
		v = i == 0 ? name : vars[i - 1];
		if (v == NULL)
			break;
		if (i > 0 && (v = getenv(v)) == NULL)
			v = "";
		for (p = v; ; p++) {
			h ^= (unsigned char)*p;
			h *= 1099511628211ULL;
			if (*p == '\0')
				break;
		}
	}
	snprintf(name, sizeof name, "%s.%016llx.ok", vol, (unsigned long long)h);
	return uidpool_host_path(name, path, size);
}

static int
docker_volume_marked(const char *vol)
{
	char path[4096];

	return docker_volume_marker(vol, path, sizeof path) == 0 && access(path, F_OK) == 0;
}

/* Sets (ok) or drops the marker; failures only cost a CLI call later. */
static void
docker_volume_mark(const char *vol, int ok)
{
	char path[4096];
	int fd;

	if (docker_volume_marker(vol, path, sizeof path) != 0)
		return;
	if (!ok) {
		unlink(path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd >= 0)
		close(fd);
}

/* docker_volume's work, under its lock: inspect, else create and fill. */
static int
docker_volume_fill(const struct docker_box_spec *spec, const char *vol, char *errstr,
    size_t errstr_size)
{
	struct docker_cmd res;
	char tmpname[64], *dst;
	int rc;

	if (docker_run_simple(DOCKER_CALL_MS, &res, errstr, errstr_size, "volume", "inspect",
	    "--format", "{{.Name}}", vol, NULL) != 0) {
		docker_cmd_free(&res);
		return -1;
	}
	rc = res.status;
	docker_cmd_free(&res);
	if (rc == 0) {
		snprintf(docker_volume_ok, sizeof docker_volume_ok, "%s", vol);
		return 0;
	}

	/*
	 * Fill it through a container that is created but never started:
	 * `docker cp` writes into its volume, and no host path is ever mounted
	 * into a judge container.
	 */
	snprintf(tmpname, sizeof tmpname, "scrc-boxvol-%08x", docker_random());
	dst = xasprintf("%s:/x/scrc-box", tmpname);
	rc = -1;
	if (docker_run_simple(DOCKER_CALL_MS, &res, errstr, errstr_size, "volume", "create",
	    "--label", "scrc.box=1", vol, NULL) != 0)
		goto out;
	if (res.status != 0) {
		docker_cmd_error(&res, "docker volume create", errstr, errstr_size);
		goto out;
	}
	docker_cmd_free(&res);
	{
		char *mount = xasprintf("%s:/x", vol);

		rc = docker_run_simple(DOCKER_CALL_MS, &res, errstr, errstr_size, "create",
		    "--name", tmpname, "--label", "scrc=1", "--pull", "never", "--network",
		    "none", "-v", mount, "--entrypoint", "/x/scrc-box", "--", spec->image, NULL);
		free(mount);
	}
	if (rc != 0)
		goto out_rmvol;
	rc = -1;
	if (res.status != 0) {
		docker_cmd_error(&res, "docker create (helper volume)", errstr, errstr_size);
		goto out_rmvol;
	}
	docker_cmd_free(&res);
	if (docker_run_simple(DOCKER_CALL_MS, &res, errstr, errstr_size, "cp", "--",
	    spec->box_path, dst, NULL) != 0)
		goto out_rmvol;
	if (res.status != 0) {
		docker_cmd_error(&res, "docker cp (helper volume)", errstr, errstr_size);
		goto out_rmvol;
	}
	rc = 0;
	snprintf(docker_volume_ok, sizeof docker_volume_ok, "%s", vol);
out_rmvol:
	docker_cmd_free(&res);
	docker_rm(tmpname);
	if (rc != 0) {
		/* A half-filled volume must not be mistaken for a good one later. */
		docker_run_simple(DOCKER_CALL_MS, &res, NULL, 0, "volume", "rm", "-f", vol, NULL);
		docker_cmd_free(&res);
	}
	free(dst);
	return rc;
out:
	docker_cmd_free(&res);
	free(dst);
	return -1;
}

/*
 * The start of a forced removal: podman waits 10 s for a running
 * container to stop unless told not to (docker kills at once).
 */
static size_t
docker_rm_args(const char **args)
{
	size_t n = 0;

	args[n++] = "rm";
	args[n++] = "-f";
	if (docker_flavour() == DOCKER_FLAVOUR_PODMAN) {
		args[n++] = "-t";
		args[n++] = "0";
	}
	return n;
}

/* Forcibly removes one container; 0 when the CLI said so. */
static int
docker_rm_one(const char *name, struct docker_cmd *res, char *errstr, size_t errstr_size)
{
	const char *args[6];
	size_t n = docker_rm_args(args);

	args[n++] = name;
	args[n] = NULL;
	return docker_cmd_run(args, NULL, 0, DOCKER_CALL_MS, res, errstr, errstr_size);
}

/* docker rm -f NAME, errors logged only; 0 when it was removed. */
static int
docker_rm(const char *name)
{
	struct docker_cmd res;
	char err[512];
	int rc = -1;

	if (docker_rm_one(name, &res, err, sizeof err) != 0)
		log_warn("docker: removing %s: %s", name, err);
	else if (res.status != 0) {
		docker_cmd_error(&res, "docker rm -f", err, sizeof err);
		log_warn("docker: removing %s: %s", name, err);
	} else
		rc = 0;
	docker_cmd_free(&res);
	return rc;
}

/* Keeps (the start of) what a box's CLI says on stderr. */
static void
docker_box_drain_err(struct docker_box *box)
{
	char chunk[4096];
	ssize_t n;

	while (box->proc.err >= 0) {
		n = read(box->proc.err, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		if (n == 0) {
			close(box->proc.err);
			box->proc.err = -1;
			return;
		}
		docker_capture(&box->errlog, chunk, (size_t)n, DOCKER_ERRLOG_MAX);
	}
}

/* Marks the stream unusable and says why, with docker's own words if any. */
static void
docker_box_broken(struct docker_box *box, char *errstr, size_t errstr_size,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	const char *e;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	box->broken = 1;
	docker_box_drain_err(box);
	e = box->errlog.data != NULL ? box->errlog.data : "";
	n = strcspn(e, "\n");
	util_seterr(errstr, errstr_size, "box %s: %s%s%.*s", box->name, msg,
	    n > 0 ? "; docker: " : "", (int)(n > 300 ? 300 : n), e);
}

/* Sends one frame (payload a then d). 0, or -1 with the box marked broken. */
static int
docker_box_send(struct docker_box *box, const char *tag, const void *a, size_t alen,
    const void *d, size_t dlen, int64_t deadline, char *errstr, size_t errstr_size)
{
	char h[BOXPROTO_HEADER_MAX];
	int hl;

	if (box->broken) {
		util_seterr(errstr, errstr_size, "box %s: stream already broken", box->name);
		return -1;
	}
	hl = boxproto_header(h, sizeof h, tag, (uint64_t)alen + dlen);
	if (hl < 0) {
		util_seterr(errstr, errstr_size, "box %s: %s frame too large", box->name, tag);
		return -1;
	}
	if (docker_write(box->wfd, h, (size_t)hl, deadline) != 0 ||
	    (alen > 0 && docker_write(box->wfd, a, alen, deadline) != 0) ||
	    (dlen > 0 && docker_write(box->wfd, d, dlen, deadline) != 0)) {
		docker_box_broken(box, errstr, errstr_size, "writing %s: %s", tag,
		    errno == ETIMEDOUT ? "timed out" : strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Receives one frame: tag (BOXPROTO_TAG_MAX + 1 bytes) and its payload
 * (*payload points into the box's buffer, valid until the next receive,
 * NUL-terminated). 0, or -1 with the box marked broken.
 */
static int
docker_box_recv(struct docker_box *box, char *tag, char **payload, size_t *len, uint64_t max,
    int64_t deadline, char *errstr, size_t errstr_size)
{
	struct pollfd pfd[2];
	uint64_t plen = 0;
	int hl = 0, nfds;
	int64_t left;
	ssize_t n;

	if (box->broken) {
		util_seterr(errstr, errstr_size, "box %s: stream already broken", box->name);
		return -1;
	}
	for (;;) {
		if (hl == 0 && box->rlen > 0) {
			hl = boxproto_parse_header(box->rbuf, box->rlen, tag, &plen);
			if (hl < 0) {
				docker_box_broken(box, errstr, errstr_size,
				    "malformed frame header");
				return -1;
			}
			if (hl > 0 && plen > max) {
				docker_box_broken(box, errstr, errstr_size,
				    "%s frame of %llu bytes (at most %llu expected)", tag,
				    (unsigned long long)plen, (unsigned long long)max);
				return -1;
			}
		}
		if (hl > 0 && box->rlen >= (size_t)hl + plen)
			break;
		/* Room for the whole frame (+ NUL) or, before the header, a chunk. */
		{
			size_t need = hl > 0 ? (size_t)hl + (size_t)plen + 1 :
			    box->rlen + BOXPROTO_CHUNK;

			if (need < box->rlen + BOXPROTO_CHUNK)
				need = box->rlen + BOXPROTO_CHUNK;
			if (need > box->rcap) {
				box->rcap = need;
				box->rbuf = xrealloc(box->rbuf, box->rcap);
			}
		}
		n = read(box->rfd, box->rbuf + box->rlen, box->rcap - box->rlen - 1);
		if (n > 0) {
			box->rlen += (size_t)n;
			continue;
		}
		if (n == 0) {
			box->eof = 1;
			docker_box_broken(box, errstr, errstr_size,
			    "the stream ended (container gone?)");
			return -1;
		}
		if (errno != EAGAIN && errno != EINTR) {
			docker_box_broken(box, errstr, errstr_size, "reading: %s", strerror(errno));
			return -1;
		}
		left = deadline - util_now_ms();
		if (left <= 0) {
			docker_box_broken(box, errstr, errstr_size, "no answer in time");
			return -1;
		}
		nfds = 0;
		pfd[nfds].fd = box->rfd;
		pfd[nfds++].events = POLLIN;
		if (box->proc.err >= 0) {
			pfd[nfds].fd = box->proc.err;
			pfd[nfds++].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)nfds, left > 1000 ? 1000 : (int)left) > 0 && nfds > 1 &&
		    pfd[1].revents != 0)
			docker_box_drain_err(box);
	}
	/* The payload is copied out so that it can be NUL-terminated. */
	buf_reset(&box->frame);
	buf_append(&box->frame, box->rbuf + hl, (size_t)plen);
	memmove(box->rbuf, box->rbuf + hl + plen, box->rlen - (size_t)hl - (size_t)plen);
	box->rlen -= (size_t)hl + (size_t)plen;
	*len = (size_t)plen;
	*payload = box->frame.data;
	return 0;
}

int
docker_exec_encode(const struct docker_exec *ex, struct buf *out, char *errstr,
    size_t errstr_size)
{
	size_t argc = 0, envc = 0, i;
	const char *cwd = ex->cwd != NULL ? ex->cwd : "";

	if (ex->argv == NULL || ex->argv[0] == NULL || ex->argv[0][0] == '\0') {
		util_seterr(errstr, errstr_size, "exec: empty argv");
		return -1;
	}
	if (cwd[0] != '\0' && strcmp(cwd, ".") != 0 && !boxproto_path_ok(cwd)) {
		util_seterr(errstr, errstr_size, "exec: invalid cwd \"%s\"", cwd);
		return -1;
	}
	if ((ex->fifo_in == NULL || ex->fifo_in[0] == '\0') !=
	    (ex->fifo_out == NULL || ex->fifo_out[0] == '\0') ||
	    (ex->fifo_in != NULL && strchr(ex->fifo_in, '/') != NULL) ||
	    (ex->fifo_out != NULL && strchr(ex->fifo_out, '/') != NULL)) {
		util_seterr(errstr, errstr_size, "exec: invalid interaction channels");
		return -1;
	}
	if (ex->cpu_ms < 0 || ex->wall_ms <= 0 || ex->output_cap < 0 || ex->file_size < 0 ||
	    ex->mem_limit < 0) {
		util_seterr(errstr, errstr_size, "exec: invalid limits");
		return -1;
	}
	while (ex->argv[argc] != NULL)
		argc++;
	while (ex->env != NULL && ex->env[envc] != NULL)
		envc++;
	buf_reset(out);
	buf_append(out, cwd, strlen(cwd) + 1);
	buf_printf(out, "%lld", (long long)ex->cpu_ms);
	buf_putc(out, '\0');
	buf_printf(out, "%lld", (long long)ex->wall_ms);
	buf_putc(out, '\0');
	buf_printf(out, "%lld", (long long)ex->output_cap);
	buf_putc(out, '\0');
	buf_printf(out, "%lld", (long long)ex->file_size);
	buf_putc(out, '\0');
	buf_printf(out, "%lld", (long long)ex->mem_limit);
	buf_putc(out, '\0');
	buf_puts(out, ex->fifo_in != NULL ? ex->fifo_in : "");
	buf_putc(out, '\0');
	buf_puts(out, ex->fifo_out != NULL ? ex->fifo_out : "");
	buf_putc(out, '\0');
	buf_puts(out, ex->fifo_out_first ? "out" : "in");
	buf_putc(out, '\0');
	buf_printf(out, "%zu", argc);
	buf_putc(out, '\0');
	for (i = 0; i < argc; i++)
		buf_append(out, ex->argv[i], strlen(ex->argv[i]) + 1);
	buf_printf(out, "%zu", envc);
	buf_putc(out, '\0');
	for (i = 0; i < envc; i++)
		buf_append(out, ex->env[i], strlen(ex->env[i]) + 1);
	if (out->len > BOXPROTO_FIELDS_MAX) {
		util_seterr(errstr, errstr_size, "exec: argv and env too large");
		return -1;
	}
	return 0;
}

int
docker_result_decode(const char *payload, size_t len, struct docker_exec_result *res)
{
	static const struct {
		const char	*key;
		uint64_t	 max;
	} keys[] = {
		{ BOXPROTO_R_EXITED, 1 },
		{ BOXPROTO_R_CODE, 255 },
		{ BOXPROTO_R_SIGNAL, 128 },
		{ BOXPROTO_R_CPU_MS, INT64_MAX },
		{ BOXPROTO_R_WALL_MS, INT64_MAX },
		{ BOXPROTO_R_MEMORY, INT64_MAX },
		{ BOXPROTO_R_OOM, 1 },
		{ BOXPROTO_R_CPU_HIT, 1 },
		{ BOXPROTO_R_WALL_HIT, 1 },
		{ BOXPROTO_R_OUTPUT_HIT, 1 },
		{ BOXPROTO_R_MEM_HIT, 1 },
		{ BOXPROTO_R_CLEAN, 1 },
		{ BOXPROTO_R_STOPPED, 1 },
	};
	uint64_t v[sizeof keys / sizeof *keys];
	const char *s;
	size_t i;

	if (len == 0 || payload[len - 1] != '\0')
		return -1;
	for (i = 0; i < sizeof keys / sizeof *keys; i++) {
		s = boxproto_kv(payload, len, keys[i].key);
		if (s == NULL || boxproto_parse_u64(s, &v[i]) != 0 || v[i] > keys[i].max)
			return -1;
	}
	/* Exactly one of: exited with a code, or killed by a signal. */
	if ((v[0] == 1) == (v[2] != 0) || (v[0] == 0 && v[1] != 0))
		return -1;
	res->exited = (int)v[0];
	res->exit_code = (int)v[1];
	res->signal = (int)v[2];
	res->cpu_ms = (int64_t)v[3];
	res->wall_ms = (int64_t)v[4];
	res->memory_bytes = (int64_t)v[5];
	res->oom_killed = (int)v[6];
	res->cpu_limit_hit = (int)v[7];
	res->wall_limit_hit = (int)v[8];
	res->output_limit_hit = (int)v[9];
	res->mem_limit_hit = (int)v[10];
	res->dirty = v[11] == 0;
	res->stopped = (int)v[12];
	/* Optional: a box that cannot read pids.events leaves it out. */
	s = boxproto_kv(payload, len, BOXPROTO_R_PIDS_HIT);
	res->pids_limit_hit = s != NULL && strcmp(s, "1") == 0;
	return 0;
}

int
docker_file_decode(const char *payload, size_t len, struct docker_file *f)
{
	const char *path, *mode;
	size_t pos = 0;
	int m;

	if (boxproto_next_field(payload, len, &pos, &path) < 0 ||
	    boxproto_next_field(payload, len, &pos, &mode) < 0 || !boxproto_path_ok(path) ||
	    boxproto_parse_mode(mode, &m) != 0)
		return -1;
	f->path = xstrdup(path);
	f->mode = m;
	f->len = len - pos;
	f->data = xmemdup(payload + pos, f->len);
	return 0;
}

/*
 * Starts the box's CLI process: `docker run -i --rm` creates the
 * container, attaches to it and starts it, and the daemon removes it once
 * scrc-box exits. With a channel, `docker run -d --rm` returns once the
 * container runs, and scrc-box connects to the channel. 0, or -1 with the
 * box marked broken.
 */
static int
docker_box_spawn(struct docker_box *box, char *errstr, size_t errstr_size)
{
	/* podman: attached, the CLI carries the stream; with a channel it just starts. */
	const char *start_attached[] = { "start", "-ai", box->name, NULL };
	const char *start_detached[] = { "start", box->name, NULL };
	const char *const *start_args = box->use_chan ? start_detached : start_attached;
	struct docker_cmd res;
	const char *token = box->use_chan ? box->chan.token : NULL;
	int rc;

	if (docker_flavour() == DOCKER_FLAVOUR_PODMAN) {
		/*
		 * podman keeps create + start -ai + rm -f: with `run -i --rm`
		 * an interactive box once failed to greet within 30 s under
		 * load in CI, and the cause is not known yet.
		 */
		rc = docker_cmd_run_token((const char *const *)box->args, NULL, 0, token, DOCKER_CALL_MS,
		    &res, errstr, errstr_size);
		if (rc != 0 || res.status != 0) {
			if (rc == 0)
				docker_cmd_error(&res, "podman create", errstr, errstr_size);
			docker_cmd_free(&res);
			box->broken = 1;
			return -1;
		}
		docker_cmd_free(&res);
	}
	if (docker_spawn(docker_flavour() == DOCKER_FLAVOUR_PODMAN ? start_args :
	    (const char *const *)box->args, !box->use_chan, box->use_chan, token, &box->proc,
	    errstr, errstr_size) != 0) {
		box->broken = 1;
		return -1;
	}
	if (!box->use_chan) {
		/* The stream is the CLI's pipes; the box owns them from here. */
		box->rfd = box->proc.out;
		box->wfd = box->proc.in;
		box->proc.out = box->proc.in = -1;
	}
	tally_add(TALLY_CONTAINERS_STARTED, 1);
	return 0;
}

struct docker_box *
docker_box_launch(const struct docker_box_spec *spec, char *errstr, size_t errstr_size)
{
	struct docker_box *box;
	struct docker_box_spec sp = *spec;
	struct uidpool_lease lease;
	char vol[64], name[128];
	char **args;

	if (docker_volume(spec, vol, sizeof vol, errstr, errstr_size) != 0)
		return NULL;
	if (docker_box_name(name, sizeof name, spec->submission_id, spec->role,
	    docker_random()) != 0) {
		util_seterr(errstr, errstr_size, "cannot name the container");
		return NULL;
	}
	/* Held until the container is gone: no other box gets this uid meanwhile. */
	if (uidpool_acquire(&lease, errstr, errstr_size) != 0)
		return NULL;
	sp.uid = lease.uid;
	box = xcalloc(1, sizeof *box);
	box->rfd = box->wfd = -1;
	box->cli_st = -2;
	box->chan.listen_fd = -1;
	box->proc.in = box->proc.out = box->proc.err = -1;
	if (docker_use_chan) {
		if (chan_open(&box->chan, errstr, errstr_size) != 0) {
			uidpool_release(&lease);
			free(box);
			return NULL;
		}
		box->use_chan = 1;
		sp.chan_dir = box->chan.dir;
	}
	args = docker_box_args(&sp, name, vol, errstr, errstr_size);
	if (args == NULL) {
		chan_close(&box->chan);
		uidpool_release(&lease);
		free(box);
		return NULL;
	}
	box->uid = lease;
	box->name = xstrdup(name);
	box->args = args;
	box->image = xstrdup(spec->image);
	box->box_path = xstrdup(spec->box_path);
	box->key = docker_spec_key(spec);
	snprintf(box->vol, sizeof box->vol, "%s", vol);
	buf_init(&box->errlog);
	buf_init(&box->frame);
	if (docker_box_spawn(box, errstr, errstr_size) != 0) {
		docker_box_close(box);
		return NULL;
	}
	return box;
}

/*
 * The helper volume turned out empty (removed since it was marked, or a
 * filler died half-way): the container is gone or goes now, the volume is
 * filled again and the box started once more under the same name. 0, or
 * -1 with the box broken.
 */
static int
docker_box_refill(struct docker_box *box, char *errstr, size_t errstr_size)
{
	struct docker_box_spec sp;
	struct docker_cmd rm;
	char vol[64];
	int lock;

	log_warn("docker: helper volume %s has no scrc-box: filling it again", box->vol);
	docker_box_unstart(box);
	docker_volume_ok[0] = '\0';
	docker_volume_mark(box->vol, 0);
	lock = uidpool_host_lock("volume", errstr, errstr_size);
	if (lock < 0)
		return -1;
	/* Another judge may have refilled it meanwhile: then it is marked again. */
	if (!docker_volume_marked(box->vol)) {
		docker_run_simple(DOCKER_CALL_MS, &rm, NULL, 0, "volume", "rm", "-f", box->vol,
		    NULL);
		docker_cmd_free(&rm);
	}
	close(lock);
	memset(&sp, 0, sizeof sp);
	sp.image = box->image;
	sp.box_path = box->box_path;
	if (docker_volume(&sp, vol, sizeof vol, errstr, errstr_size) != 0)
		return -1;
	if (strcmp(vol, box->vol) != 0) {
		util_seterr(errstr, errstr_size, "scrc-box helper %s changed while judging",
		    box->box_path);
		return -1;
	}
	return docker_box_respawn(box, errstr, errstr_size);
}

/* Undoes a start that failed: its stream, its CLI, whatever container it left. */
static void
docker_box_unstart(struct docker_box *box)
{
	docker_box_stream_close(box);
	if (box->proc.p != NULL)
		docker_reap(&box->proc, util_now_ms() + DOCKER_CLOSE_MS, NULL);
	docker_proc_close(&box->proc);
	box->cli_st = -2;
	docker_rm(box->name);
}

/* Starts the box again with its argv, as if nothing had been said yet. */
static int
docker_box_respawn(struct docker_box *box, char *errstr, size_t errstr_size)
{
	buf_reset(&box->errlog);
	box->rlen = 0;
	box->broken = 0;
	return docker_box_spawn(box, errstr, errstr_size);
}

/*
 * With a channel: waits for scrc-box to connect while the CLI starts its
 * container, watching the CLI, whose failure (no image, no scrc-box in
 * the volume) is the reason to give. 0 with the stream on the socket, or
 * -1 with the box broken.
 */
static int
docker_box_connect(struct docker_box *box, int64_t deadline, char *errstr, size_t errstr_size)
{
	struct pollfd pfd[3];
	char chunk[512];
	int64_t left;
	ssize_t n;
	int fd, nfds;

	for (;;) {
		n = -1;
		fd = chan_accept(&box->chan, 0);
		if (fd >= 0) {
			box->rfd = box->wfd = fd;
			return 0;
		}
		if (errno != EAGAIN) {
			docker_box_broken(box, errstr, errstr_size, "channel: %s", strerror(errno));
			return -1;
		}
		/* What `run -d` prints is the container's id: read and dropped. */
		while (box->proc.out >= 0 && (n = read(box->proc.out, chunk, sizeof chunk)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
		}
		if (n == 0 && box->proc.out >= 0) {
			close(box->proc.out);
			box->proc.out = -1;
		}
		docker_box_drain_err(box);
		/* Both pipes closed: the CLI has ended. A failure is the answer. */
		if (box->proc.out < 0 && box->proc.err < 0 && box->proc.p != NULL) {
			box->cli_st = docker_reap(&box->proc, util_now_ms() + DOCKER_CLOSE_MS, NULL);
			if (box->cli_st != 0) {
				docker_box_broken(box, errstr, errstr_size,
				    "the container did not start (%s exit %d)", docker_cli,
				    box->cli_st);
				return -1;
			}
		}
		left = deadline - util_now_ms();
		if (left <= 0) {
			docker_box_broken(box, errstr, errstr_size,
			    "scrc-box did not connect to %s in time", CHAN_MOUNT);
			return -1;
		}
		nfds = 0;
		pfd[nfds].fd = chan_fd(&box->chan);
		pfd[nfds++].events = POLLIN;
		if (box->proc.out >= 0) {
			pfd[nfds].fd = box->proc.out;
			pfd[nfds++].events = POLLIN;
		}
		if (box->proc.err >= 0) {
			pfd[nfds].fd = box->proc.err;
			pfd[nfds++].events = POLLIN;
		}
		poll(pfd, (nfds_t)nfds, left > 1000 ? 1000 : (int)left);
	}
}

/*
 * The engine could not mount the channel's directory: it runs on another
 * machine, or in a container that does not share SCRC_SOCKET_DIR. This
 * process attaches its boxes from now on, and this one starts again with
 * the same argv, attached. 0, or -1 with the box broken.
 */
static int
docker_box_unchan(struct docker_box *box, char *errstr, size_t errstr_size)
{
	static int warned;
	char **v, **a = box->args;
	size_t i, n = 0, count;

	if (!warned) {
		log_warn("docker: the engine cannot see %s (%s): boxes get an attached docker "
		    "CLI each instead; share that directory with the engine at the same path, "
		    "or set SCRC_BOX_CHANNEL=attach", box->chan.dir, box->errlog.data);
		warned = 1;
	}
	docker_use_chan = 0;
	docker_box_unstart(box);
	for (count = 0; a[count] != NULL; count++)
		;
	v = xcalloc(count + 2, sizeof *v);
	for (i = 0; a[i] != NULL; i++) {
		/* The channel's mount and environment go; -d becomes -i. */
		if (a[i + 1] != NULL && ((strcmp(a[i], "--mount") == 0 &&
		    strstr(a[i + 1], "dst=" CHAN_MOUNT) != NULL) || (strcmp(a[i], "--env") == 0 &&
		    (strncmp(a[i + 1], CHAN_ENV_PATH "=", strlen(CHAN_ENV_PATH) + 1) == 0 ||
		    strcmp(a[i + 1], CHAN_ENV_TOKEN) == 0)))) {
			i++;
			continue;
		}
		v[n++] = xstrdup(i == 1 && strcmp(a[i], "-d") == 0 ? "-i" : a[i]);
		if (i == 0 && strcmp(a[i], "create") == 0)
			v[n++] = xstrdup("-i");
	}
	v[n] = NULL;
	docker_args_free(box->args);
	box->args = v;
	chan_close(&box->chan);
	box->use_chan = 0;
	return docker_box_respawn(box, errstr, errstr_size);
}

int
docker_box_ready(struct docker_box *box, char *errstr, size_t errstr_size)
{
	char tag[BOXPROTO_TAG_MAX + 1], *payload;
	const char *v;
	size_t len;
	int refilled;

	if (docker_first_key == NULL && box->key != NULL)
		docker_first_key = xstrdup(box->key);
	if (box->ready)
		return 0;
	if (box->broken) {
		util_seterr(errstr, errstr_size, "box %s is broken", box->name);
		return -1;
	}
	for (refilled = 0; ; refilled = 1) {
		int64_t deadline = util_now_ms() + docker_start_ms;

		if ((box->rfd >= 0 || docker_box_connect(box, deadline, errstr,
		    errstr_size) == 0) && docker_box_recv(box, tag, &payload, &len, 4096,
		    deadline, errstr, errstr_size) == 0)
			break;
		/* The engine's words name the channel's directory: it cannot see it. */
		if (box->use_chan && box->chan.dir != NULL && box->errlog.data != NULL &&
		    strstr(box->errlog.data, box->chan.dir) != NULL) {
			if (docker_box_unchan(box, errstr, errstr_size) != 0) {
				box->broken = 1;
				return -1;
			}
			refilled = 0;
			continue;
		}
		/* The engine's words when the entrypoint is missing name its path. */
		if (refilled || box->errlog.data == NULL ||
		    strstr(box->errlog.data, DOCKER_BOX_MOUNT "/scrc-box") == NULL ||
		    docker_box_refill(box, errstr, errstr_size) != 0) {
			box->broken = 1;
			return -1;
		}
	}
	if (strcmp(tag, "HELLO") != 0 || (v = boxproto_kv(payload, len, "version")) == NULL ||
	    strcmp(v, BOXPROTO_VERSION_STR) != 0) {
		util_seterr(errstr, errstr_size, "box %s: unexpected greeting %s%s%.200s",
		    box->name, tag, strcmp(tag, "FAIL") == 0 ? ": " : "",
		    strcmp(tag, "FAIL") == 0 ? payload : "");
		box->broken = 1;
		return -1;
	}
	/* A box whose programs would run as scrc-box itself is no sandbox. */
	v = boxproto_kv(payload, len, "isolated");
	if (v == NULL || strcmp(v, "1") != 0) {
		util_seterr(errstr, errstr_size, "box %s: programs would not run under a uid "
		    "of their own (is the container's user root?)", box->name);
		box->broken = 1;
		return -1;
	}
	v = boxproto_kv(payload, len, "cgroup");
	snprintf(box->cgroup, sizeof box->cgroup, "%s", v != NULL ? v : "?");
	box->ready = 1;
	docker_args_free(box->args);
	box->args = NULL;
	log_debug("docker: box %s up (cgroup %s)", box->name, box->cgroup);
	return 0;
}

/* A string the key can carry: no separator, no line break. */
static int
docker_key_safe(const char *s)
{
	return s != NULL && *s != '\0' && strpbrk(s, "|\n\r") == NULL;
}

char *
docker_spec_key(const struct docker_box_spec *spec)
{
	if (spec->ipc_volume != NULL || !docker_key_safe(spec->image) ||
	    !docker_key_safe(spec->workdir) || !docker_key_safe(spec->box_path))
		return NULL;
	return xasprintf("k1|%s|%s|%s|%lld|%lld|%lld|%lld|%lld", spec->image, spec->workdir,
	    spec->box_path, (long long)spec->memory_bytes, (long long)spec->workdir_bytes,
	    (long long)spec->pids_limit, (long long)(spec->cpus * 1000.0 + 0.5),
	    (long long)spec->allowance);
}

int
docker_spec_parse(char *key, struct docker_box_spec *spec)
{
	char *f[9], *p = key, *end;
	long long v[5];
	size_t i;

	for (i = 0; i < 9; i++) {
		f[i] = p;
		p = strchr(p, '|');
		if ((p == NULL) != (i == 8))
			return -1;
		if (p != NULL)
			*p++ = '\0';
	}
	if (strcmp(f[0], "k1") != 0 || *f[1] == '\0' || *f[2] == '\0' || *f[3] == '\0')
		return -1;
	for (i = 0; i < 5; i++) {
		errno = 0;
		v[i] = strtoll(f[4 + i], &end, 10);
		if (errno != 0 || end == f[4 + i] || *end != '\0' || v[i] < 0)
			return -1;
	}
	memset(spec, 0, sizeof *spec);
	spec->image = f[1];
	spec->workdir = f[2];
	spec->box_path = f[3];
	spec->memory_bytes = v[0];
	spec->workdir_bytes = v[1];
	spec->pids_limit = v[2];
	spec->cpus = (double)v[3] / 1000.0;
	spec->allowance = v[4];
	return 0;
}

const char *
docker_box_key(const struct docker_box *box)
{
	return box->key;
}

const char *
docker_box_container(const struct docker_box *box)
{
	return box->name;
}

const char *
docker_first_ready(void)
{
	return docker_first_key;
}

void
docker_first_ready_reset(void)
{
	free(docker_first_key);
	docker_first_key = NULL;
}

struct docker_box *
docker_box_open(const struct docker_box_spec *spec, char *errstr, size_t errstr_size)
{
	struct docker_box *box;

	box = docker_box_launch(spec, errstr, errstr_size);
	if (box == NULL)
		return NULL;
	if (docker_box_ready(box, errstr, errstr_size) != 0) {
		docker_box_close(box);
		return NULL;
	}
	return box;
}

/* Reads a reply that is OK (0) or FAIL (-1, message in errstr). */
static int
docker_box_reply(struct docker_box *box, const char *what, int64_t deadline, char *errstr,
    size_t errstr_size)
{
	char tag[BOXPROTO_TAG_MAX + 1], *payload;
	size_t len;

	if (docker_box_recv(box, tag, &payload, &len, 4096, deadline, errstr,
	    errstr_size) != 0)
		return -1;
	if (strcmp(tag, "OK") == 0)
		return 0;
	if (strcmp(tag, "FAIL") == 0) {
		util_seterr(errstr, errstr_size, "scrc-box: %s", payload);
		box->spent = 1;
		return -1;
	}
	docker_box_broken(box, errstr, errstr_size, "%s: unexpected %s frame", what, tag);
	return -1;
}

int
docker_box_put(struct docker_box *box, const char *path, const void *data, size_t len,
    int mode, char *errstr, size_t errstr_size)
{
	char fields[BOXPROTO_PATH_MAX + 32];
	int64_t deadline = util_now_ms() + DOCKER_IO_MS + (int64_t)(len / 100000);
	int n;

	if (!boxproto_path_ok(path) || mode < 0 || mode > 07777) {
		util_seterr(errstr, errstr_size, "put: invalid path \"%s\" or mode", path);
		return -1;
	}
	if ((uint64_t)len > BOXPROTO_PAYLOAD_MAX - sizeof fields) {
		util_seterr(errstr, errstr_size, "put %s: %zu bytes is too large", path, len);
		return -1;
	}
	n = snprintf(fields, sizeof fields, "%s%c%o%c", path, 0, (unsigned)mode, 0);
	if (docker_box_send(box, "PUT", fields, (size_t)n, data, len, deadline, errstr,
	    errstr_size) != 0)
		return -1;
	return docker_box_reply(box, "put", deadline, errstr, errstr_size);
}

void
docker_files_free(struct docker_files *files)
{
	size_t i;

	if (files == NULL)
		return;
	for (i = 0; i < files->n; i++) {
		free(files->v[i].path);
		free(files->v[i].data);
	}
	free(files->v);
	files->v = NULL;
	files->n = 0;
}

int
docker_box_fetch(struct docker_box *box, const char *base, const char *const *names,
    int64_t max_bytes, struct docker_files *out, char *errstr, size_t errstr_size)
{
	char tag[BOXPROTO_TAG_MAX + 1], *payload;
	struct docker_file f;
	struct buf req;
	uint64_t total = 0, count, frame_max;
	int64_t deadline;
	size_t i, len, cap = 0;

	memset(out, 0, sizeof *out);
	if (base == NULL || strcmp(base, ".") == 0)
		base = "";
	if ((base[0] != '\0' && !boxproto_path_ok(base)) || names == NULL || max_bytes < 0) {
		util_seterr(errstr, errstr_size, "fetch: invalid base or names");
		return -1;
	}
	buf_init(&req);
	buf_printf(&req, "%lld", (long long)max_bytes);
	buf_putc(&req, '\0');
	buf_append(&req, base, strlen(base) + 1);
	for (i = 0; names[i] != NULL; i++) {
		if (!boxproto_path_ok(names[i])) {
			util_seterr(errstr, errstr_size, "fetch: invalid name \"%s\"", names[i]);
			buf_free(&req);
			return -1;
		}
		buf_append(&req, names[i], strlen(names[i]) + 1);
	}
	deadline = util_now_ms() + DOCKER_IO_MS + max_bytes / 100000;
	if (docker_box_send(box, "FETCH", req.data, req.len, NULL, 0, deadline, errstr,
	    errstr_size) != 0) {
		buf_free(&req);
		return -1;
	}
	buf_free(&req);
	frame_max = (uint64_t)max_bytes + BOXPROTO_PATH_MAX + 32;
	if (frame_max > BOXPROTO_PAYLOAD_MAX)
		frame_max = BOXPROTO_PAYLOAD_MAX;
	for (;;) {
		if (docker_box_recv(box, tag, &payload, &len, frame_max, deadline, errstr,
		    errstr_size) != 0)
			goto fail;
		if (strcmp(tag, "FILE") == 0) {
			if (docker_file_decode(payload, len, &f) != 0) {
				docker_box_broken(box, errstr, errstr_size, "malformed FILE frame");
				goto fail;
			}
			total += f.len;
			if (total > (uint64_t)max_bytes) {
				free(f.path);
				free(f.data);
				docker_box_broken(box, errstr, errstr_size,
				    "fetch: more than %lld bytes sent", (long long)max_bytes);
				goto fail;
			}
			if (out->n == cap) {
				cap = cap ? cap * 2 : 8;
				out->v = xrealloc(out->v, cap * sizeof *out->v);
			}
			out->v[out->n++] = f;
		} else if (strcmp(tag, "DONE") == 0) {
			if (boxproto_parse_u64(payload, &count) != 0 || count != out->n) {
				docker_box_broken(box, errstr, errstr_size,
				    "fetch: bad DONE frame");
				goto fail;
			}
			return 0;
		} else if (strcmp(tag, "FAIL") == 0) {
			util_seterr(errstr, errstr_size, "scrc-box: %s", payload);
			goto fail;
		} else {
			docker_box_broken(box, errstr, errstr_size, "fetch: unexpected %s frame",
			    tag);
			goto fail;
		}
	}
fail:
	docker_files_free(out);
	return -1;
}

void
docker_exec_result_free(struct docker_exec_result *res)
{
	if (res == NULL)
		return;
	buf_free(&res->out);
	buf_free(&res->err);
}

/*
 * 1 when a frame has begun to arrive (buffered or readable within
 * timeout_ms), else 0: docker_box_recv then reads it, and the box sends
 * each frame whole, so that never waits long.
 */
static int
docker_box_pending(struct docker_box *box, int64_t timeout_ms)
{
	struct pollfd pfd;

	if (box->rlen > 0)
		return 1;
	pfd.fd = box->rfd;
	pfd.events = POLLIN;
	if (timeout_ms > INT32_MAX)
		timeout_ms = INT32_MAX;
	return poll(&pfd, 1, timeout_ms < 0 ? 0 : (int)timeout_ms) > 0;
}

int
docker_box_exec_start(struct docker_box *box, const struct docker_exec *ex, char *errstr,
    size_t errstr_size)
{
	const char *in = ex->input;
	struct buf req;
	int64_t deadline;
	size_t off, k;

	if (box->running) {
		util_seterr(errstr, errstr_size, "box %s: a run is already going on", box->name);
		return -1;
	}
	memset(&box->exec_res, 0, sizeof box->exec_res);
	buf_init(&box->exec_res.out);
	buf_init(&box->exec_res.err);
	buf_init(&req);
	if (docker_exec_encode(ex, &req, errstr, errstr_size) != 0) {
		buf_free(&req);
		return -1;
	}
	deadline = util_now_ms() + DOCKER_IO_MS + (int64_t)(ex->input_len / 100000);
	for (off = 0; off < ex->input_len; off += k) {
		k = ex->input_len - off < DOCKER_IN_CHUNK ? ex->input_len - off : DOCKER_IN_CHUNK;
		if (docker_box_send(box, "IN", in + off, k, NULL, 0, deadline, errstr,
		    errstr_size) != 0) {
			buf_free(&req);
			return -1;
		}
	}
	if (docker_box_send(box, "EXEC", req.data, req.len, NULL, 0, deadline, errstr,
	    errstr_size) != 0) {
		buf_free(&req);
		return -1;
	}
	buf_free(&req);
	box->running = 1;
	if (ex->fifo_in != NULL && ex->fifo_in[0] != '\0')
		box->spent = 1;
	box->exec_cap = ex->output_cap;
	/* scrc-box enforces the limits; this deadline only catches a dead box. */
	box->exec_deadline = util_now_ms() + ex->wall_ms + DOCKER_EXEC_GRACE_MS;
	return 0;
}

int
docker_box_exec_wait(struct docker_box *box, struct docker_exec_result *res,
    int64_t timeout_ms, char *errstr, size_t errstr_size)
{
	struct docker_exec_result *r = &box->exec_res;
	char tag[BOXPROTO_TAG_MAX + 1], *payload;
	struct buf *dst;
	size_t len;

	if (!box->running) {
		util_seterr(errstr, errstr_size, "box %s: no run to wait for", box->name);
		return -1;
	}
	for (;;) {
		if (!docker_box_pending(box, timeout_ms)) {
			if (util_now_ms() < box->exec_deadline)
				return 0;
			docker_box_broken(box, errstr, errstr_size, "no answer in time");
			goto fail;
		}
		/* Drain what is there, but wait no more. */
		timeout_ms = 0;
		if (docker_box_recv(box, tag, &payload, &len, BOXPROTO_CHUNK, box->exec_deadline,
		    errstr, errstr_size) != 0)
			goto fail;
		if (strcmp(tag, "OUT") == 0 || strcmp(tag, "ERR") == 0) {
			dst = tag[0] == 'O' ? &r->out : &r->err;
			if (box->exec_cap > 0 && (int64_t)(dst->len + len) > box->exec_cap) {
				docker_box_broken(box, errstr, errstr_size,
				    "exec: more output than the cap");
				goto fail;
			}
			buf_append(dst, payload, len);
		} else if (strcmp(tag, "RESULT") == 0) {
			if (docker_result_decode(payload, len, r) != 0) {
				docker_box_broken(box, errstr, errstr_size,
				    "malformed RESULT frame");
				goto fail;
			}
			box->running = 0;
			if (r->dirty || r->stopped)
				box->spent = 1;
			*res = *r;
			memset(r, 0, sizeof *r);
			return 1;
		} else if (strcmp(tag, "FAIL") == 0) {
			util_seterr(errstr, errstr_size, "scrc-box: %s", payload);
			goto fail;
		} else {
			docker_box_broken(box, errstr, errstr_size, "exec: unexpected %s frame",
			    tag);
			goto fail;
		}
	}
fail:
	box->running = 0;
	box->spent = 1;
	docker_exec_result_free(r);
	memset(res, 0, sizeof *res);
	return -1;
}

int
docker_box_exec(struct docker_box *box, const struct docker_exec *ex,
    struct docker_exec_result *res, char *errstr, size_t errstr_size)
{
	int r;

	memset(res, 0, sizeof *res);
	if (docker_box_exec_start(box, ex, errstr, errstr_size) != 0)
		return -1;
	while ((r = docker_box_exec_wait(box, res, 1000, errstr, errstr_size)) == 0)
		;
	return r == 1 ? 0 : -1;
}

int
docker_box_fd(const struct docker_box *box)
{
	return box->rfd;
}

int
docker_box_stop(struct docker_box *box, char *errstr, size_t errstr_size)
{
	if (!box->running)
		return 0;
	return docker_box_send(box, "STOP", NULL, 0, NULL, 0, util_now_ms() + 1000, errstr,
	    errstr_size);
}

int
docker_ipc_create(const char *submission_id, char *out, size_t out_size, char *errstr,
    size_t errstr_size)
{
	struct docker_cmd res;
	char *sub, *owner;
	int rc;

	snprintf(out, out_size, "scrc-ipc-%08x%08x", docker_random(), docker_random());
	sub = xasprintf("scrc.submission=%s", submission_id);
	owner = xasprintf("%s=%s", DOCKER_OWNER_LABEL, docker_owner());
	rc = docker_run_simple(DOCKER_CALL_MS, &res, errstr, errstr_size, "volume", "create",
	    "--label", "scrc=1", "--label", "scrc.ipc=1", "--label", sub, "--label", owner,
	    out, NULL);
	free(sub);
	free(owner);
	if (rc == 0 && res.status != 0) {
		docker_cmd_error(&res, "docker volume create (interaction channels)", errstr,
		    errstr_size);
		rc = -1;
	}
	docker_cmd_free(&res);
	if (rc != 0)
		out[0] = '\0';
	return rc;
}

void
docker_ipc_remove(const char *name)
{
	struct docker_cmd res;

	if (name == NULL || name[0] == '\0')
		return;
	if (docker_run_simple(DOCKER_CALL_MS, &res, NULL, 0, "volume", "rm", "-f", name,
	    NULL) != 0 || res.status != 0)
		log_warn("docker: could not remove volume %s", name);
	docker_cmd_free(&res);
}

/*
 * Removes the interaction volumes no container uses any more (their judge
 * died between creating and removing them). `volume rm` without -f
 * refuses a volume in use, which is the test wanted. Returns how many.
 */
static int
docker_ipc_orphans(void)
{
	struct docker_cmd res, rm;
	char *p, *line;
	int count = 0;

	if (docker_run_simple(DOCKER_CALL_MS, &res, NULL, 0, "volume", "ls", "-q", "--filter",
	    "label=scrc.ipc=1", NULL) != 0 || res.status != 0) {
		docker_cmd_free(&res);
		return 0;
	}
	for (p = res.out.data; p != NULL && (line = strsep(&p, "\n")) != NULL; ) {
		if (*line == '\0')
			continue;
		if (docker_run_simple(DOCKER_CALL_MS, &rm, NULL, 0, "volume", "rm", line,
		    NULL) == 0 && rm.status == 0)
			count++;
		docker_cmd_free(&rm);
	}
	docker_cmd_free(&res);
	return count;
}

/* Sends QUIT and closes the box's stdin: scrc-box exits, the daemon removes it. */
static void
docker_box_goodbye(struct docker_box *box)
{
	char err[256];

	if (box->quit_sent || box->wfd < 0 || box->broken)
		return;
	if (docker_box_send(box, "QUIT", NULL, 0, NULL, 0, util_now_ms() + 1000, err,
	    sizeof err) == 0)
		box->quit_sent = 1;
	docker_box_shut(box);
}

/* No more to say: the box reads its end of the stream, and may still answer. */
static void
docker_box_shut(struct docker_box *box)
{
	if (box->wfd < 0)
		return;
	if (box->wfd == box->rfd)
		shutdown(box->wfd, SHUT_WR);
	else
		close(box->wfd);
	box->wfd = -1;
}

/* Closes the box's stream, both ends. */
static void
docker_box_stream_close(struct docker_box *box)
{
	docker_box_shut(box);
	if (box->rfd >= 0)
		close(box->rfd);
	box->rfd = -1;
}

/*
 * Whether box can be kept for another submission: it has a key, is
 * healthy, idle, never spent, and silent (a box that speaks unasked is out
 * of step).
 */
static int
docker_box_reusable(struct docker_box *box)
{
	struct pollfd pfd;

	if (!box->ready || box->broken || box->spent || box->running || box->quit_sent ||
	    box->key == NULL || box->wfd < 0 || box->rfd < 0 || box->rlen > 0)
		return 0;
	pfd.fd = box->rfd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) == 0;
}

void
docker_keep(int on)
{
	docker_keep_on = on;
}

struct docker_box *
docker_box_kept(void)
{
	return docker_nkept > 0 ? docker_kept[--docker_nkept] : NULL;
}

int
docker_box_reset(struct docker_box *box, char *errstr, size_t errstr_size)
{
	int64_t deadline = util_now_ms() + DOCKER_IO_MS;

	if (!box->ready || box->broken || box->spent || box->running) {
		util_seterr(errstr, errstr_size, "box %s cannot be reset", box->name);
		return -1;
	}
	if (docker_box_send(box, "RESET", NULL, 0, NULL, 0, deadline, errstr, errstr_size) != 0 ||
	    docker_box_reply(box, "reset", deadline, errstr, errstr_size) != 0) {
		box->spent = 1;
		return -1;
	}
	/* A waiting box keeps no buffer the last submission's output grew. */
	if (box->rlen == 0) {
		free(box->rbuf);
		box->rbuf = NULL;
		box->rcap = 0;
	}
	buf_free(&box->frame);
	buf_init(&box->frame);
	return 0;
}

void
docker_box_close_later(struct docker_box *box)
{
	if (box == NULL)
		return;
	if (docker_keep_on && docker_nkept < DOCKER_KEEP_MAX && docker_box_reusable(box)) {
		docker_kept[docker_nkept++] = box;
		return;
	}
	docker_box_goodbye(box);
	box->next_closing = docker_closing;
	docker_closing = box;
}

void
docker_box_close_all(void)
{
	struct docker_box *box;

	while ((box = docker_closing) != NULL) {
		docker_closing = box->next_closing;
		docker_box_close(box);
	}
}

void
docker_box_close(struct docker_box *box)
{
	char chunk[4096], err[256];
	struct pollfd pfd;
	int64_t deadline;
	ssize_t n;
	int st, timed_out;

	if (box == NULL)
		return;
	/*
	 * A box still coming up on its channel cannot hear a goodbye yet: wait
	 * for it (off the verdict's path), which costs the engine less than a
	 * forced removal.
	 */
	if (box->use_chan && box->rfd < 0 && !box->broken && chan_fd(&box->chan) >= 0)
		(void)docker_box_connect(box, util_now_ms() + docker_start_ms, err, sizeof err);
	/* A clean goodbye: the box exits, the container stops, attach returns. */
	docker_box_goodbye(box);
	if (box->quit_sent) {
		deadline = util_now_ms() + DOCKER_CLOSE_MS;
		while (box->rfd >= 0 && util_now_ms() < deadline) {
			pfd.fd = box->rfd;
			pfd.events = POLLIN;
			poll(&pfd, 1, 100);
			n = read(box->rfd, chunk, sizeof chunk);
			if (n == 0)
				box->eof = 1;
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				break;
		}
	}
	docker_box_stream_close(box);
	/*
	 * `docker run --rm` returns once the daemon has removed the container:
	 * a CLI that exits 0 after the goodbye leaves nothing. With a channel,
	 * `run -d --rm` returned long ago, and the end of the stream after the
	 * goodbye says scrc-box exited: the daemon removes the container now.
	 * Any other end (broken stream, no exit in time, an error status) gets
	 * a forced removal, which also covers a container that never started.
	 */
	st = box->cli_st == -2 ? -1 : box->cli_st;
	timed_out = 0;
	if (box->proc.p != NULL)
		st = docker_reap(&box->proc, util_now_ms() + DOCKER_CLOSE_MS, &timed_out);
	if ((st == 0 && !timed_out && !box->broken && box->quit_sent &&
	    (!box->use_chan || box->eof) && docker_flavour() != DOCKER_FLAVOUR_PODMAN) ||
	    docker_rm(box->name) == 0)
		tally_add(TALLY_CONTAINERS_REMOVED, 1);
	docker_proc_close(&box->proc);
	chan_close(&box->chan);
	uidpool_release(&box->uid);
	docker_exec_result_free(&box->exec_res);
	buf_free(&box->errlog);
	buf_free(&box->frame);
	docker_args_free(box->args);
	free(box->image);
	free(box->box_path);
	free(box->key);
	free(box->rbuf);
	free(box->name);
	free(box);
}
