/*
 * seccomp-probe: checks what lang/seccomp.json lets a judged program do.
 *
 * Build: gcc -static -O2 -o probe seccomp-probe.c -lpthread
 * Run:   docker run --rm --network none --user 65534:65534 --cap-drop ALL
 *            --security-opt no-new-privileges
 *            --security-opt seccomp=lang/seccomp.json -v DIR:/p:ro IMAGE /p/probe
 *
 * stdout: one line per check.
 *   "NAME: denied" / "NAME: ALLOWED"  for calls a program must not make
 *                                      (denied = failed with EPERM or ENOSYS,
 *                                      or the child trying it was killed)
 *   "NAME: ok" / "NAME: FAILED"        for things every program (or the
 *                                      in-container helper) needs, and for
 *                                      newer calls runtimes use, which must
 *                                      reach the kernel (EBADF/EINVAL from
 *                                      bad arguments is fine; EPERM/ENOSYS
 *                                      from the filter is not)
 * stderr: "# NAME: ..." details (the errno of each attempt).
 * Exit status: 0 when every forbidden call is denied and every ordinary
 * check works, 1 otherwise.
 *
 * "probe --as UID [CMD ARGS...]" (as root with CAP_SETUID/CAP_SETGID): drop
 * supplementary groups, gid and uid to UID, then exec CMD (default: this
 * probe again), the way the in-container helper starts a program.
 *
 * Never mounts or changes anything outside itself, so running it on a host
 * as root is harmless (the mount attempt targets a path that does not exist),
 * but it is meant to run in a container.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <mqueue.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/msg.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

static int failures;

/* A forbidden call returned r (errno e): report it. */
static void
forbidden(const char *name, long r, int e)
{
	int denied = r < 0 && (e == EPERM || e == ENOSYS);

	if (r < 0)
		fprintf(stderr, "# %s: -1 errno %d (%s)\n", name, e, strerror(e));
	else
		fprintf(stderr, "# %s: returned %ld\n", name, r);
	printf("%s: %s\n", name, denied ? "denied" : "ALLOWED");
	if (!denied)
		failures++;
}

/* Report a forbidden call's result; close what it opened, if it worked. */
static void
check(const char *name, long r, int closefd)
{
	int e = errno;

	forbidden(name, r, e);
	if (r >= 0 && closefd)
		close((int)r);
}

#define TRY(name, expr)		check(name, (long)(expr), 0)
#define TRYFD(name, expr)	check(name, (long)(expr), 1)

static void
ordinary(const char *name, int ok, const char *detail)
{
	if (!ok)
		fprintf(stderr, "# %s: %s: %s\n", name, detail, strerror(errno));
	printf("%s: %s\n", name, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

/* A call that must get past the filter: any result but EPERM/ENOSYS will do. */
static void
reaches(const char *name, long r)
{
	int e = errno;
	int ok = !(r < 0 && (e == EPERM || e == ENOSYS));

	if (!ok)
		fprintf(stderr, "# %s: -1 errno %d (%s)\n", name, e, strerror(e));
	printf("%s: %s\n", name, ok ? "ok" : "FAILED");
	if (!ok)
		failures++;
}

/*
 * Run fn in a forked child. The child writes "r errno" to a pipe; a child
 * killed by a signal (SIGSYS from a seccomp kill, SIGSEGV) counts as denied.
 */
static void
in_child(const char *name, long (*fn)(void))
{
	int p[2], st;
	long r = -1, e = 0;
	pid_t pid;
	FILE *f;

	if (pipe(p) != 0 || (pid = fork()) < 0) {
		ordinary(name, 0, "pipe/fork");
		return;
	}
	if (pid == 0) {
		long rr;
		char b[64];
		int n;

		close(p[0]);
		errno = 0;
		rr = fn();
		n = snprintf(b, sizeof b, "%ld %d\n", rr, errno);
		if (write(p[1], b, (size_t)n) != n)
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	f = fdopen(p[0], "r");
	if (f == NULL || fscanf(f, "%ld %ld", &r, &e) != 2) {
		r = -1;
		e = EPERM;
	}
	if (f != NULL)
		fclose(f);
	if (waitpid(pid, &st, 0) == pid && WIFSIGNALED(st)) {
		fprintf(stderr, "# %s: child killed by signal %d\n", name, WTERMSIG(st));
		printf("%s: denied\n", name);
		return;
	}
	forbidden(name, r, (int)e);
}

static long
do_ptrace_traceme(void)
{
	return ptrace(PTRACE_TRACEME, 0, NULL, NULL);
}

/* getpid through the i386 entry point: needs the X86 sub-architecture. */
static long
do_int80(void)
{
#if defined(__x86_64__)
	long r;

	__asm__ volatile ("int $0x80" : "=a"(r) : "a"(20L) : "memory", "cc",
	    "r8", "r9", "r10", "r11");
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
#else
	errno = ENOSYS;
	return -1;
#endif
}

/* getpid through the x32 ABI (syscall number | 0x40000000). */
static long
do_x32(void)
{
#if defined(__x86_64__)
	return syscall(SYS_getpid | 0x40000000L);
#else
	errno = ENOSYS;
	return -1;
#endif
}

static long
do_unshare(void)
{
	return unshare(CLONE_NEWUSER);
}

static long
clone_newuser(void)
{
	long r = syscall(SYS_clone, (long)(CLONE_NEWUSER | SIGCHLD), 0L, 0L, 0L, 0L);

	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, NULL, 0);
	return r;
}

static int thread_ran;

static void *
thread_fn(void *arg)
{
	thread_ran = 1;
	return arg;
}

static void
forbidden_calls(void)
{
	struct io_uring_params up;
	struct perf_event_attr pa;
	union bpf_attr ba;
	struct iovec lv, rv;
	char buf[16];
	long r;

	memset(&up, 0, sizeof up);
	TRYFD("io_uring_setup", syscall(SYS_io_uring_setup, 4L, &up));
	TRY("io_uring_enter", syscall(SYS_io_uring_enter, 1000L, 0L, 0L, 0L, NULL, 0L));
	TRY("io_uring_register", syscall(SYS_io_uring_register, 1000L, 0L, NULL, 0L));
	TRYFD("userfaultfd", syscall(SYS_userfaultfd, (long)(O_CLOEXEC | UFFD_USER_MODE_ONLY)));

	memset(&pa, 0, sizeof pa);
	pa.type = PERF_TYPE_SOFTWARE;
	pa.size = sizeof pa;
	pa.config = PERF_COUNT_SW_TASK_CLOCK;
	pa.exclude_kernel = 1;
	pa.exclude_hv = 1;
	TRYFD("perf_event_open", syscall(SYS_perf_event_open, &pa, 0L, -1L, -1L, 0L));

	memset(&ba, 0, sizeof ba);
	ba.map_type = BPF_MAP_TYPE_ARRAY;
	ba.key_size = 4;
	ba.value_size = 4;
	ba.max_entries = 1;
	TRYFD("bpf", syscall(SYS_bpf, (long)BPF_MAP_CREATE, &ba, (long)sizeof ba));

	in_child("unshare(CLONE_NEWUSER)", do_unshare);
	TRY("clone(CLONE_NEWUSER)", clone_newuser());
	TRY("keyctl", syscall(SYS_keyctl, (long)KEYCTL_GET_KEYRING_ID,
	    (long)KEY_SPEC_SESSION_KEYRING, 1L));
	TRY("add_key", syscall(SYS_add_key, "user", "scrc-probe", "x", 1L,
	    (long)KEY_SPEC_PROCESS_KEYRING));
	in_child("ptrace(PTRACE_TRACEME)", do_ptrace_traceme);
	/*
	 * A target that does not exist: a call that gets past the filter
	 * fails with ENOENT (reported ALLOWED) and never mounts anything,
	 * even when the probe runs as root outside a container.
	 */
	TRY("mount", mount("none", "/nonexistent/scrc-probe", "tmpfs", 0, NULL));
	TRY("setns", setns(0, 0));

	/* Beyond the list in the brief: also denied by lang/seccomp.json. */
	lv.iov_base = buf;
	lv.iov_len = sizeof buf;
	rv.iov_base = buf;
	rv.iov_len = sizeof buf;
	TRY("process_vm_readv", process_vm_readv(getpid(), &lv, 1, &rv, 1, 0));
	{
		unsigned long ctx = 0;

		TRY("io_setup", syscall(SYS_io_setup, 1L, &ctx));
		if (ctx != 0)
			syscall(SYS_io_destroy, ctx);
	}
	TRY("clone3", syscall(SYS_clone3, NULL, 0L));
	r = personality(0xffffffff);
	TRY("personality(ADDR_NO_RANDOMIZE)", personality(ADDR_NO_RANDOMIZE));
	if (r >= 0)
		personality((unsigned long)r);
	TRYFD("socket(AF_VSOCK)", socket(AF_VSOCK, SOCK_STREAM, 0));
	TRYFD("socket(AF_ALG)", socket(AF_ALG, SOCK_SEQPACKET, 0));
	TRY("kcmp", syscall(SYS_kcmp, (long)getpid(), (long)getpid(), 0L, 0L, 0L));
	in_child("int 0x80 (i386 ABI)", do_int80);
	in_child("x32 ABI", do_x32);
}

static void
ordinary_calls(void)
{
	pthread_t t;
	void *res = NULL;
	int st, p[2], fd, ok;
	pid_t pid;
	char *m;

	pid = fork();
	if (pid == 0)
		_exit(7);
	ok = pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 7;
	ordinary("fork+wait", ok, "fork/waitpid");

	ok = pthread_create(&t, NULL, thread_fn, (void *)&thread_ran) == 0 &&
	    pthread_join(t, &res) == 0 && res == (void *)&thread_ran && thread_ran;
	ordinary("pthread_create", ok, "pthread_create/join");

	m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok = m != MAP_FAILED;
	if (ok) {
		memset(m, 1, 1 << 20);
		ok = madvise(m, 1 << 20, MADV_DONTNEED) == 0 && munmap(m, 1 << 20) == 0;
	}
	ordinary("mmap", ok, "mmap/madvise/munmap");

	fd = memfd_create("probe", MFD_CLOEXEC);
	ok = fd >= 0 && write(fd, "x", 1) == 1;
	if (fd >= 0)
		close(fd);
	ordinary("memfd_create", ok, "memfd_create");

	ok = pipe(p) == 0 && write(p[1], "x", 1) == 1;
	if (ok) {
		close(p[0]);
		close(p[1]);
	}
	ordinary("pipe", ok, "pipe");

	ok = personality(0xffffffff) >= 0;
	ordinary("personality(query)", ok, "personality");

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ok = fd >= 0;
	if (fd >= 0)
		close(fd);
	ordinary("socket(AF_UNIX)", ok, "socket");
}

/*
 * Newer calls that runtimes use: each must reach the kernel (an error such
 * as EBADF or EINVAL from deliberately bad arguments proves that it did).
 */
static void
modern_calls(void)
{
	struct statx stx;
	cpu_set_t cpus;
	char rnd[8];
	long fd;

	reaches("rseq", syscall(SYS_rseq, NULL, 0L, 0L, 0L));
	reaches("membarrier", syscall(SYS_membarrier, 0L, 0L, 0L));
	reaches("statx", statx(AT_FDCWD, "/", 0, STATX_BASIC_STATS, &stx));
	reaches("faccessat2", syscall(SYS_faccessat2, (long)AT_FDCWD, "/", (long)R_OK, 0L));
	reaches("epoll_pwait2", syscall(SYS_epoll_pwait2, -1L, NULL, 1L, NULL, NULL, 8L));
	reaches("close_range", syscall(SYS_close_range, 1000000L, 1000001L, 0L));
	fd = syscall(SYS_pidfd_open, (long)getpid(), 0L);
	reaches("pidfd_open", fd);
	reaches("pidfd_send_signal", syscall(SYS_pidfd_send_signal, fd, 0L, NULL, 0L));
	if (fd >= 0)
		close((int)fd);
	reaches("futex_waitv", syscall(SYS_futex_waitv, NULL, 0L, 0L, NULL, 0L));
	reaches("sched_getaffinity", sched_getaffinity(0, sizeof cpus, &cpus));
	reaches("getrandom", getrandom(rnd, sizeof rnd, 0));
	reaches("copy_file_range", copy_file_range(-1, NULL, -1, NULL, 1, 0));
	reaches("sendfile", syscall(SYS_sendfile, -1L, -1L, NULL, 1L));
	reaches("tgkill", syscall(SYS_tgkill, (long)getpid(), (long)gettid(), 0L));
#if defined(__x86_64__)
	{
		unsigned long fs;

		reaches("arch_prctl", syscall(SYS_arch_prctl, 0x1003L /* ARCH_GET_FS */, &fs));
	}
#endif
	reaches("set_robust_list", syscall(SYS_set_robust_list, NULL, 0L));
	reaches("prlimit64", prlimit(0, RLIMIT_NOFILE, NULL, NULL));
}

/* What the in-container helper does besides starting programs. */
static void
helper_calls(void)
{
	struct rlimit rl;
	sigset_t set;
	char page[4096];
	int fd, id, ok;
	mqd_t q;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	ordinary("signalfd4", fd >= 0, "signalfd");
	if (fd >= 0)
		close(fd);

	ok = prlimit(0, RLIMIT_CORE, NULL, &rl) == 0;
	rl.rlim_cur = 0;
	ok = ok && setrlimit(RLIMIT_CORE, &rl) == 0;
	ordinary("prlimit64+setrlimit", ok, "prlimit/setrlimit");

	ok = mlock(page, sizeof page) == 0 && munlock(page, sizeof page) == 0;
	ordinary("mlock", ok, "mlock");

	ok = kill(getpid(), 0) == 0;
	ordinary("kill", ok, "kill");

	ok = prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == 0 && prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1;
	ordinary("prctl", ok, "prctl");

	{
		struct pollfd pfd;
		struct timespec ts = { 0, 0 };
		int pp[2];

		ok = pipe2(pp, O_CLOEXEC) == 0 && write(pp[1], "x", 1) == 1;
		if (ok) {
			pfd.fd = pp[0];
			pfd.events = POLLIN;
			ok = poll(&pfd, 1, 0) == 1 && ppoll(&pfd, 1, &ts, NULL) == 1;
			close(pp[0]);
			close(pp[1]);
		}
		ordinary("pipe2+poll+ppoll", ok, "pipe2/poll/ppoll");
	}

	{
		DIR *d = opendir("/");

		ok = d != NULL && readdir(d) != NULL;
		if (d != NULL)
			closedir(d);
		ordinary("getdents64", ok, "opendir/readdir");
	}

	id = msgget(IPC_PRIVATE, 0600);
	ok = id >= 0 && msgctl(id, IPC_RMID, NULL) == 0;
	ordinary("msgget+msgctl", ok, "msgget/msgctl");
	id = shmget(IPC_PRIVATE, 4096, 0600);
	ok = id >= 0 && shmctl(id, IPC_RMID, NULL) == 0;
	ordinary("shmget+shmctl", ok, "shmget/shmctl");
	id = semget(IPC_PRIVATE, 1, 0600);
	ok = id >= 0 && semctl(id, 0, IPC_RMID) == 0;
	ordinary("semget+semctl", ok, "semget/semctl");

	q = mq_open("/scrc-probe", O_CREAT | O_RDWR, 0600, NULL);
	ok = q != (mqd_t)-1 && mq_close(q) == 0 && mq_unlink("/scrc-probe") == 0;
	ordinary("mq_open+mq_unlink", ok, "mq_open/mq_unlink");

	/* Files: only where /tmp is writable (--tmpfs /tmp). */
	fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && mkdirat(fd, "scrc-probe", 0700) == 0) {
		ok = fchownat(fd, "scrc-probe", getuid(), getgid(), AT_SYMLINK_NOFOLLOW) == 0 &&
		    fchmodat(fd, "scrc-probe", 0755, 0) == 0 &&
		    unlinkat(fd, "scrc-probe", AT_REMOVEDIR) == 0;
		ordinary("mkdirat+fchownat+fchmodat+unlinkat", ok, "fchownat/fchmodat/unlinkat");
	} else {
		fprintf(stderr, "# /tmp not writable: file checks skipped\n");
	}
	if (fd >= 0)
		close(fd);
}

static int
drop_to(const char *uidstr, char **argv, char *self)
{
	char *def[] = { self, NULL };
	uid_t uid = (uid_t)strtoul(uidstr, NULL, 10);

	if (setgroups(0, NULL) != 0 || setresgid(uid, uid, uid) != 0 ||
	    setresuid(uid, uid, uid) != 0) {
		perror("probe --as: set*id");
		return 1;
	}
	if (setuid(0) == 0) {
		fprintf(stderr, "probe --as: could regain root\n");
		return 1;
	}
	fprintf(stderr, "# now uid %d gid %d\n", (int)getuid(), (int)getgid());
	if (argv[0] == NULL)
		argv = def;
	execvp(argv[0], argv);
	perror("probe --as: exec");
	return 127;
}

int
main(int argc, char **argv)
{
	FILE *f;
	char line[256];

	if (argc >= 3 && strcmp(argv[1], "--as") == 0)
		return drop_to(argv[2], argv + 3, argv[0]);

	setvbuf(stdout, NULL, _IOLBF, 0);
	f = fopen("/proc/self/status", "r");
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, "Seccomp:", 8) == 0 || strncmp(line, "Uid:", 4) == 0 ||
		    strncmp(line, "CapEff:", 7) == 0)
			fprintf(stderr, "# %s", line);
	if (f != NULL)
		fclose(f);

	forbidden_calls();
	ordinary_calls();
	modern_calls();
	helper_calls();
	printf("%s\n", failures == 0 ? "all checks passed" : "SOME CHECKS FAILED");
	return failures == 0 ? 0 : 1;
}
