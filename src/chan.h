/*
 * chan.h - the host end of a box's control channel when no docker CLI
 * stays attached to it: a Unix socket in a directory of its own that the
 * box's container gets bind-mounted. scrc-box connects at start, proves
 * itself with a token it was handed through its environment, and the
 * socket then carries the boxproto.h frames that an attached `docker run
 * -i` would have carried. No CLI process stays up for the box's life.
 */
#ifndef SCRC_CHAN_H
#define SCRC_CHAN_H

#include <stddef.h>
#include <stdint.h>

/* Where the directory is mounted in the box, and the socket's path there. */
#define CHAN_MOUNT		"/.scrc-ctl"
#define CHAN_BOX_PATH		CHAN_MOUNT "/s"
/* The environment variables scrc-box reads them from. */
#define CHAN_ENV_PATH		"SCRC_BOX_SOCKET"
#define CHAN_ENV_TOKEN		"SCRC_BOX_TOKEN"
#define CHAN_TOKEN_LEN		32	/* hex digits; the box sends them + "\n" */

/* One listening channel; a struct chan is owned by its box. */
struct chan {
	int	 listen_fd;		/* -1 once closed */
	char	*dir;			/* the host directory mounted into the box */
	char	*path;			/* dir + "/s" */
	char	 token[CHAN_TOKEN_LEN + 1];
};

/*
 * The directory under which each box's directory is made (default
 * /tmp/scrc-sockets-EUID); it must be ours alone. A worker whose engine
 * runs elsewhere in its own container shares it at the same path. Not
 * owned; NULL restores the default.
 */
void	chan_set_dir(const char *dir);

/*
 * Makes a fresh directory and socket, listening, with a new random token.
 * 0, or -1 with errstr (nothing left behind).
 */
int	chan_open(struct chan *c, char *errstr, size_t errstr_size);

/*
 * Waits up to timeout_ms for the box to connect and send its token. The
 * connected socket (non-blocking, close-on-exec) when it did, after which
 * the socket file and directory are gone from the host; -1 with errno
 * EAGAIN when nobody came in time, another errno on error. A connection
 * with a wrong token is dropped and the wait goes on.
 */
int	chan_accept(struct chan *c, int64_t timeout_ms);

/* The listening descriptor, to poll beside other things (-1 when closed). */
int	chan_fd(const struct chan *c);

/* Closes the listener and removes the socket and directory. Idempotent. */
void	chan_close(struct chan *c);

/*
 * out = the path of a file of this host's in the channel dir, named
 * "HOSTTAG-" + name, where name starts with the pid it belongs to and a
 * '-' (so that chan_sweep can remove it once that process is gone). The
 * dir is made and checked first. 0, or -1 with errstr.
 */
int	chan_own_path(const char *name, char *out, size_t size, char *errstr,
	    size_t errstr_size);

/*
 * Removes the directories left under the channel dir by processes of this
 * host that are gone (alive(pid) says 0): a judge killed before its box
 * connected; and their files (chan_own_path). Returns how many were
 * removed.
 */
int	chan_sweep(int (*alive)(long pid));

#endif
