/*
 * uidpool.h - the uid each box gives its programs, unique among the boxes
 * running on one host at the same time. The kernel keeps some budgets per
 * uid (pipe buffer pages, inotify instances, message queue bytes,
 * RLIMIT_NPROC): programs of two submissions must never share them. A
 * lease is an exclusive lock on one file per uid in a directory shared by
 * every scrc process of the host; it ends when it is released or when its
 * holder dies, whatever the way.
 */
#ifndef SCRC_UIDPOOL_H
#define SCRC_UIDPOOL_H

#include <stddef.h>
#include <stdint.h>

/* One held uid. */
struct uidpool_lease {
	uint32_t	uid;
	int		fd;	/* the locked file, or -1 */
};

/*
 * Sets the range [base, base + count) and the lock directory (created,
 * mode 1777, when missing); strings are copied. Call once at start-up.
 * 0, or -1 with errstr.
 */
int	uidpool_configure(uint32_t base, uint32_t count, const char *dir, char *errstr,
	    size_t errstr_size);

/*
 * Takes a free uid of the range (starting from a random one; without
 * uidpool_configure: 2000000000+10000, locks in /tmp/scrc-uids). 0 with
 * *lease filled, or -1 with errstr when every uid is taken or the
 * directory cannot be used.
 */
int	uidpool_acquire(struct uidpool_lease *lease, char *errstr, size_t errstr_size);

/*
 * Takes the host-wide lock NAME (a file in the pool's directory), waiting
 * for it. Returns the descriptor to close() to let go, or -1 with errstr.
 */
int	uidpool_host_lock(const char *name, char *errstr, size_t errstr_size);

/*
 * The path of the file NAME in the pool's directory (for host-wide markers
 * beside the locks) into out. 0, or -1 when the directory is unusable or
 * out too small.
 */
int	uidpool_host_path(const char *name, char *out, size_t size);

/* Gives the uid back; a lease with fd -1 is a no-op. */
void	uidpool_release(struct uidpool_lease *lease);

#endif
