/*
 * docker.h - everything that talks to the docker CLI. Each call is an argv
 * run through libpipeline with a deadline; a call that outlives it is
 * killed, reaped and reported. A "box" is one judge container kept up for
 * a submission, with scrc-box as its PID 1 spoken to over one stream (a
 * socket of chan.h after `docker run -d --rm`; or attached, `docker run -i
 * --rm`, one CLI process per box), through which files go in, programs
 * run, and files come back out.
 */
#ifndef SCRC_DOCKER_H
#define SCRC_DOCKER_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The outcome of one docker CLI call. */
struct docker_cmd {
	int		 status;	/* exit status, or -1 when not exited normally */
	int		 timed_out;	/* killed at the deadline */
	struct buf	 out;		/* stdout (capped) */
	struct buf	 err;		/* stderr (capped) */
};

/*
 * Whether boxes speak through a control channel (chan.h: no docker CLI
 * process stays up per box; the engine must see this host's files) or
 * through an attached `docker run -i` (off). On by default.
 */
void	docker_set_channel(int on);

/* Which docker CLI binary to run ("docker" by default); not owned. */
void	docker_set_cli(const char *path);

/* The kinds of docker-compatible CLI scrc drives. */
enum docker_flavour {
	DOCKER_FLAVOUR_UNKNOWN,
	DOCKER_FLAVOUR_DOCKER,
	DOCKER_FLAVOUR_PODMAN,
};
/*
 * Which kind the CLI is: DOCKER_FLAVOUR_ENV when set, else asked once
 * (`CLI --version`) and remembered; docker when it cannot be told. The
 * command lines built adapt to it.
 */
enum docker_flavour docker_flavour(void);
/*
 * The environment variable through which a worker tells its judges the
 * kind it found ("docker" or "podman"), so that they need not ask.
 */
#define DOCKER_FLAVOUR_ENV	"SCRC_DOCKER_FLAVOUR"
/* The kind's name, "docker" or "podman" (as DOCKER_FLAVOUR_ENV takes it). */
const char *docker_flavour_name(void);
/* Sets the kind without asking (tests; UNKNOWN asks again). */
void	docker_set_flavour(enum docker_flavour flavour);
/*
 * The seccomp profile (a JSON file the CLI reads) every box gets; NULL or
 * "" leaves the engine's default. Not owned.
 */
void	docker_set_seccomp(const char *path);
/*
 * How long a box may take from its `docker run` to scrc-box's greeting
 * before it counts as broken (an infrastructure failure); ms <= 0 restores
 * DOCKER_START_MS_DEFAULT. Slow disks and cold page caches of big images
 * are what make this long.
 */
#define DOCKER_START_MS_DEFAULT	30000
void	docker_set_start_timeout(int64_t ms);

/*
 * Runs `docker ARGS...` (args NULL-terminated, without "docker") with stdin
 * from in/inlen (NULL = /dev/null), waiting at most timeout_ms. Returns 0
 * when the command ran to completion (whatever its exit status, see
 * res->status), -1 when it could not be started or timed out (errstr says
 * which, with the command line). res is initialised here; free with
 * docker_cmd_free().
 */
int	docker_cmd_run(const char *const *args, const void *in, size_t inlen,
	    int64_t timeout_ms, struct docker_cmd *res, char *errstr, size_t errstr_size);
void	docker_cmd_free(struct docker_cmd *res);

/* 0 when a daemon answers `docker version` within timeout_ms, else -1. */
int	docker_ping(int64_t timeout_ms, char *errstr, size_t errstr_size);

/* 0 when the image exists locally, else -1 with a message. */
int	docker_image_exists(const char *image, char *errstr, size_t errstr_size);

/*
 * Removes every container labelled scrc=1 (and, when submission_id is not
 * NULL, only those of that submission). Returns how many were removed,
 * or -1 when docker could not be asked.
 */
int	docker_cleanup(const char *submission_id, char *errstr, size_t errstr_size);

/* Label naming the judging process ("HOST/PID") of a box. */
#define DOCKER_OWNER_LABEL	"scrc.owner"

/*
 * Removes the boxes left by judging processes of this host that are gone
 * (killed, crashed). Boxes of live judges and of other hosts are kept.
 * Returns how many were removed, or -1 when docker could not be asked.
 */
int	docker_cleanup_orphans(char *errstr, size_t errstr_size);

/* How to create a box. Strings are borrowed for the call. */
struct docker_box_spec {
	const char		*image;
	const char		*submission_id;	/* label scrc.submission and name part */
	const char		*role;		/* "build" or "run": label and name part */
	const char		*workdir;	/* tmpfs mount point, e.g. /box */
	int64_t			 memory_bytes;	/* --memory and --memory-swap */
	int64_t			 workdir_bytes;	/* tmpfs size of workdir and of /tmp */
	int64_t			 pids_limit;
	double			 cpus;		/* --cpus; 0 = no cap */
	const char		*box_path;	/* host path of the scrc-box binary */
	uint32_t		 uid;		/* programs' uid: leased by launch (uidpool.h) */
	int64_t			 allowance;	/* memory every run will be allowed, when
						   known at creation (0: told per run) */
	const char		*ipc_volume;	/* interactive: the channels' volume, or NULL */
	const char		*chan_dir;	/* host dir of its control channel (chan.h),
						   or NULL: attached (set by launch) */
};

struct docker_box;

/*
 * A spec's sizing as one line: everything that shapes the container
 * (image, work dir and its tmpfs size, memory, pids, CPUs, the runs'
 * allowance, the helper binary), nothing that names it (submission, role,
 * uid). Two specs with one key make the same sandbox, so a box started
 * for the one can serve the other (warm.h). NULL when the spec cannot be
 * started ahead (it mounts an interaction volume, or a string holds '|',
 * a newline or a NUL that the line could not carry). Free it.
 */
char	*docker_spec_key(const struct docker_box_spec *spec);
/*
 * Parses a key back into spec (submission and role left NULL; the strings
 * point into key, which is modified and must outlive spec). 0, or -1 for
 * a malformed key.
 */
int	docker_spec_parse(char *key, struct docker_box_spec *spec);
/* The key of the spec the box was launched with (NULL: it had none). */
const char *docker_box_key(const struct docker_box *box);
/* The container's name. */
const char *docker_box_container(const struct docker_box *box);
/*
 * The key of the first box this process made ready (docker_box_ready,
 * whether it had to wait or not): the box a judge needed first, which is
 * the one worth starting before the next submission comes. NULL when
 * none; reset forgets it (a box started ahead is not a need).
 */
const char *docker_first_ready(void);
void	docker_first_ready_reset(void);

/*
 * With on, docker_box_close_later keeps (up to DOCKER_KEEP_MAX) the boxes
 * that could serve another submission (a key, healthy, idle, no run of it
 * spent: unclean, stopped, through FIFOs, or a failed request) instead;
 * docker_box_kept hands them over one by one (NULL: no more). A kept box
 * still holds the last submission's files: docker_box_reset makes it
 * fresh (0), or says why it cannot (-1: close it).
 */
#define DOCKER_KEEP_MAX	3
void	docker_keep(int on);
struct docker_box *docker_box_kept(void);
int	docker_box_reset(struct docker_box *box, char *errstr, size_t errstr_size);

/*
 * Creates and starts a sandboxed container (see DESIGN.md) with scrc-box
 * attached, its programs under a uid leased for the box's lifetime. The
 * scrc-box binary reaches it through a read-only volume that is created on
 * first use (and filled again if it was lost). Returns NULL with errstr on
 * failure, leaving no container behind.
 */
struct docker_box *docker_box_open(const struct docker_box_spec *spec,
	    char *errstr, size_t errstr_size);

/*
 * The two halves of docker_box_open, so that a box can start while other
 * work goes on: launch starts the box's CLI, which creates, attaches and
 * starts the container (it does not wait for the greeting); ready waits for the greeting. After a
 * failed ready the box is unusable and the caller still closes it. Every
 * other box call needs a ready box.
 */
struct docker_box *docker_box_launch(const struct docker_box_spec *spec,
	    char *errstr, size_t errstr_size);
int	docker_box_ready(struct docker_box *box, char *errstr, size_t errstr_size);

/* Writes a file at path (relative to workdir; parents created). */
int	docker_box_put(struct docker_box *box, const char *path, const void *data,
	    size_t len, int mode, char *errstr, size_t errstr_size);

/* One file fetched from a box. */
struct docker_file {
	char	*path;		/* relative to the fetched directory */
	int	 mode;
	char	*data;
	size_t	 len;
};
struct docker_files {
	struct docker_file	*v;
	size_t			 n;
};
void	docker_files_free(struct docker_files *files);

/*
 * Fetches the named files or directories (relative to workdir/base, or to
 * workdir when base is NULL, "" or "."; directories recursively, symlinks
 * and special files skipped) into out, with paths relative to base: base
 * "build" and name "classes" give "classes/Main.class". Fails (out empty)
 * when a name is missing or the total exceeds max_bytes. Free out with
 * docker_files_free().
 */
int	docker_box_fetch(struct docker_box *box, const char *base,
	    const char *const *names, int64_t max_bytes, struct docker_files *out,
	    char *errstr, size_t errstr_size);

/*
 * One program run inside a box. Strings borrowed. wall_ms must be > 0;
 * cpu_ms, output_cap and file_size of 0 mean no limit.
 */
struct docker_exec {
	const char *const	*argv;		/* argv[0] resolved via PATH */
	const char *const	*env;		/* "K=V", NULL-terminated; the whole environment */
	const char		*cwd;		/* relative to workdir; NULL = a fresh empty dir */
	const void		*input;		/* stdin contents */
	size_t			 input_len;
	int64_t			 cpu_ms;	/* CPU time limit (all processes of the run) */
	int64_t			 wall_ms;	/* wall time limit */
	int64_t			 output_cap;	/* stdout+stderr hard cap each -> output_limit */
	int64_t			 file_size;	/* RLIMIT_FSIZE */
	int64_t			 mem_limit;	/* memory the run may hold, every kind
						   counted; 0 = what the box has */
	const char		*fifo_in;	/* interactive (the box has an ipc_volume):
						   stdin from this FIFO, not input */
	const char		*fifo_out;	/* stdout to this FIFO, not captured */
	int			 fifo_out_first;	/* open fifo_out first (one side must) */
};

struct docker_exec_result {
	int		 exited;	/* 1: exit_code valid; 0: killed by signal */
	int		 exit_code;
	int		 signal;	/* terminating signal, 0 if exited */
	int64_t		 cpu_ms;	/* CPU time of every process of the run */
	int64_t		 wall_ms;	/* from exec to the last process gone */
	int64_t		 memory_bytes;	/* peak memory of all its processes together
					   (all but reclaimable file cache), or the
					   largest RSS if higher */
	int		 oom_killed;	/* the cgroup OOM killer fired during the run */
	int		 cpu_limit_hit;	/* scrc-box killed it for CPU time */
	int		 wall_limit_hit;	/* scrc-box killed it for wall time */
	int		 output_limit_hit;	/* scrc-box killed it for output size */
	int		 mem_limit_hit;	/* scrc-box killed it for memory */
	int		 pids_limit_hit;	/* a fork or clone of it failed at the pids limit */
	int		 dirty;		/* what it left could not all be removed: the box
					   must not run anything else */
	int		 stopped;	/* killed on docker_box_stop() */
	struct buf	 out;		/* full stdout, up to output_cap */
	struct buf	 err;		/* full stderr, up to output_cap */
};
void	docker_exec_result_free(struct docker_exec_result *res);

/*
 * Runs one program and waits for it and everything it started to be gone.
 * Returns 0 with res filled whatever the program did; -1 only when the box
 * itself failed (container died, stream broken, protocol error): that is an
 * infrastructure failure, never the program's verdict.
 */
int	docker_box_exec(struct docker_box *box, const struct docker_exec *ex,
	    struct docker_exec_result *res, char *errstr, size_t errstr_size);

/*
 * The same in two halves, so that two boxes can run at once (an
 * interactive test): start sends the run; wait reads what the box sent
 * for at most timeout_ms and returns 1 once the run is over (res filled
 * as by docker_box_exec), 0 when it is still going, -1 when the box
 * failed (res freed). One run per box at a time.
 */
int	docker_box_exec_start(struct docker_box *box, const struct docker_exec *ex,
	    char *errstr, size_t errstr_size);
int	docker_box_exec_wait(struct docker_box *box, struct docker_exec_result *res,
	    int64_t timeout_ms, char *errstr, size_t errstr_size);
/* The descriptor to poll(2) for a box's next frame. */
int	docker_box_fd(const struct docker_box *box);
/* Asks the box to kill the run going on (a no-op if it is over). 0, or -1. */
int	docker_box_stop(struct docker_box *box, char *errstr, size_t errstr_size);

/*
 * A volume for the channels of one interactive submission, labelled so
 * that a judge that died leaves nothing behind for long (cleanup removes
 * the ones no container uses). Its name goes into out (64 bytes). 0, or
 * -1 with errstr.
 */
int	docker_ipc_create(const char *submission_id, char *out, size_t out_size,
	    char *errstr, size_t errstr_size);
/* Removes it (after its boxes are closed); "" is a no-op. */
void	docker_ipc_remove(const char *name);

/*
 * Says goodbye to the box and waits for its CLI: the daemon removes the
 * container of a box that exited cleanly; any other is removed with
 * `docker rm -f`. Always; NULL is a no-op.
 */
void	docker_box_close(struct docker_box *box);
/*
 * The same in two halves, so that boxes go away together and off the
 * critical path: close_later says goodbye at once (the daemon starts
 * removing the container) and keeps the box; close_all waits for every box
 * so kept, as docker_box_close does, and must run before the process ends.
 */
void	docker_box_close_later(struct docker_box *box);
void	docker_box_close_all(void);

/*
 * The pieces below are exported for tests/test_docker.c; the rest of scrc
 * has no reason to call them.
 */

/*
 * Formats the container name scrc-<id>-<role>-<rnd as 8 hex>, with every
 * byte outside [A-Za-z0-9_.-] replaced by '_', the id cut to 64 bytes and
 * the role to 16 (empty ones become "x"). 0, or -1 when out is too small.
 */
int	docker_box_name(char *out, size_t size, const char *submission_id, const char *role,
	    uint32_t rnd);
/*
 * The argv (without "docker") of the `docker run -i --rm` that starts a
 * box named name (podman: the `create -i` before `start -ai`); with a
 * spec->chan_dir, `run -d --rm` (podman: `create` before `start`) with the
 * channel's directory mounted and its path and token in the environment;
 * with the helper volume volume: every sandbox flag of DESIGN.md, labels,
 * limits in bytes. NULL with errstr for an unusable spec (image starting
 * with '-', workdir not absolute or holding ',' or ':'). Free with
 * docker_args_free().
 */
char	**docker_box_args(const struct docker_box_spec *spec, const char *name,
	    const char *volume, char *errstr, size_t errstr_size);
void	docker_args_free(char **args);
/* The payload of an EXEC frame for ex (without its input) into out. 0, or -1. */
int	docker_exec_encode(const struct docker_exec *ex, struct buf *out, char *errstr,
	    size_t errstr_size);
/*
 * Fills res's numbers from a RESULT payload; out/err are not touched.
 * 0, or -1 when a key is missing, malformed, out of range or inconsistent.
 */
int	docker_result_decode(const char *payload, size_t len, struct docker_exec_result *res);
/* Splits a FILE payload into f (allocated copies). 0, or -1 when malformed. */
int	docker_file_decode(const char *payload, size_t len, struct docker_file *f);

#endif
