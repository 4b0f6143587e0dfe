/*
 * box.h - what the parts of scrc-box (the static PID 1 of every judge
 * container) share: the container's cgroup counters and the memory
 * reserve that keeps the kernel's limit tight (box-cgroup.c), and the
 * between-runs cleanup done under the program's uid (box-clean.c), and
 * the channels of an interactive run and the host's STOP (box-ipc.c).
 * scrc-box.c speaks the protocol and runs the programs. Libc only.
 */
#ifndef SCRC_BOX_H
#define SCRC_BOX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum box_cgroup_kind {
	BOX_CGROUP_NONE,
	BOX_CGROUP_V1,
	BOX_CGROUP_V2,
};

/*
 * The container's own cgroup, as seen from inside, and the reserve: memory
 * scrc-box holds so that what is left under the container's limit is just
 * the program's allowance (the container is created before the size of the
 * artifacts and inputs is known, so its limit is generous).
 */
struct box_cg {
	enum box_cgroup_kind	 kind;
	int			 cpu_fd;	/* cpuacct.usage or cpu.stat */
	int			 oom_fd;	/* memory.oom_control or memory.events */
	int			 stat_fd;	/* memory.stat */
	int			 usage_fd;	/* memory.usage_in_bytes or memory.current */
	int			 limit_fd;	/* memory.limit_in_bytes or memory.max */
	int			 pids_fd;	/* pids.events */
	const char		*file_keys[2];	/* memory.stat's file-cache lines */
	char			*reserve;	/* the reserve mapping */
	size_t			 reserve_cap;
	size_t			 reserve_len;	/* bytes of it made resident */
};

/*
 * Finds and opens the container's cgroup files below root ("/sys/fs/cgroup"
 * in a container; v1 when root/cpuacct exists, else v2; none found: kind
 * NONE, every reader -1).
 */
void	box_cg_open(struct box_cg *cg, const char *root);
/* Closes what box_cg_open opened and drops the reserve. */
void	box_cg_close(struct box_cg *cg);
/* "v1", "v2" or "none". */
const char *box_cg_name(const struct box_cg *cg);
/* CPU time of the whole container in microseconds, or -1. */
int64_t	box_cg_cpu_us(const struct box_cg *cg);
/* How many times the cgroup OOM killer fired, or -1 when unknown. */
int64_t	box_cg_oom(const struct box_cg *cg);
/*
 * How many times a fork or clone failed at the container's pids limit
 * (pids.events "max"), or -1 when unknown.
 */
int64_t	box_cg_pids_max(const struct box_cg *cg);
/*
 * Memory charged to the container that the kernel cannot take back:
 * everything (anonymous, shared and tmpfs pages, memfd, SysV shm, pipe
 * buffers and other kernel memory) but the reclaimable file cache. Bytes,
 * or -1 when unknown.
 */
int64_t	box_cg_charged(const struct box_cg *cg);
/* The container's memory limit in bytes, or -1 when there is none. */
int64_t	box_cg_limit(const struct box_cg *cg);
/*
 * Grows or shrinks the reserve so that the container's limit leaves about
 * headroom bytes above what is charged now. No-op without a limit.
 */
void	box_cg_reserve(struct box_cg *cg, int64_t headroom);

/*
 * Reads a small file (from offset 0 of fd when fd >= 0, else by path) into
 * buf, NUL-terminated. Returns the length or -1.
 */
int	box_read_small(int fd, const char *path, char *buf, size_t size);

/* Takes on uid:gid for good, with no supplementary groups. 0, or -1. */
int	box_become(uid_t uid, gid_t gid);

/* What to clean after (or before) a run. */
struct box_clean_job {
	uid_t		 uid;		/* the program's; 0 = scrc-box's own */
	gid_t		 gid;
	const int	*dirs;		/* directories to empty (not remove) */
	size_t		 ndirs;
	int		 sig_fd;	/* signalfd with SIGCHLD, to wait on */
	int64_t		 timeout_ms;
};

/*
 * Empties every directory of job, at any depth, and removes every SysV IPC
 * object, in a child that runs as the program's uid (so it can undo what
 * the program did and nothing else, and no privileged process ever walks
 * a tree the program made). Returns 0 when everything went, 1 when some
 * entries are left or the deadline passed (the child is killed then).
 */
int	box_clean_run(const struct box_clean_job *job);

/*
 * What a box must look like before it serves another submission: no
 * process but PID 1 and the caller, every directory of dirs empty (ignore,
 * when not NULL, is one name allowed to stay in dirs[0], itself an empty
 * directory), and no SysV IPC object. 0, or -1 with what was found in why.
 */
int	box_clean_verify(const int *dirs, size_t ndirs, const char *ignore, char *why,
	    size_t why_size);

/*
 * Interactive runs: the program and the interactor, each in its own box,
 * talk through two FIFOs in a volume both boxes mount at BOX_IPC_DIR.
 * The directory is root's and closed to everyone else, so that neither
 * program can open the channels itself (or anything else there): each gets
 * its ends already open, from scrc-box.
 */
#define BOX_IPC_DIR	"/.scrc-ipc"

/*
 * When the host gave us a control channel (chan.h: a socket path and a
 * token in the environment), connects, sends the token and makes the
 * socket fd 0 and fd 1. 0 (also when there is none), or -1 with a line
 * on stderr.
 */
int	box_chan_connect(void);

/*
 * Makes BOX_IPC_DIR ours alone and the FIFOs named in and out in it
 * (plain names; existing ones are reused). 0, or -1 with errno.
 */
int	box_ipc_prepare(const char *in, const char *out);

/*
 * In the forked child, before it becomes the program: opens FIFO in for
 * reading as stdin and FIFO out for writing as stdout, out first when
 * out_first (the two sides open in opposite orders, or each would wait
 * for the other forever). Each open waits for the other side's: the
 * run's wall limit bounds that. 0, or -1 with errno.
 */
int	box_ipc_open(const char *in, const char *out, int out_first);

/*
 * What the host may send while a run goes on: nothing but "STOP 0\n". Reads
 * what fd 0 has into buf[*len..cap) (buf[*off..*len) unread so far) and
 * looks at it. Returns 1 when a whole STOP frame was taken (consumed),
 * 0 when nothing complete is there yet, -1 when the host is gone or sent
 * something else (left in buf for the main loop; stop watching).
 */
int	box_host_stop(char *buf, size_t cap, size_t *off, size_t *len);

#endif
