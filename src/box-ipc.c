/*
 * box-ipc.c - scrc-box's side of interactive runs: the FIFOs a program and
 * an interactor in two boxes talk through, opened for the program before
 * it drops its privileges, and the host's STOP while a run goes on (the
 * interactor has decided: the program need not run to its wall limit).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "box.h"
#include "boxproto.h"

/* A channel name: a plain file name, nothing that could leave the directory. */
static int
box_ipc_name_ok(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
	    strcmp(name, "..") != 0 && strlen(name) < 64;
}

static int
box_ipc_path(char *out, size_t size, const char *name)
{
	size_t n = strlen(BOX_IPC_DIR);

	if (!box_ipc_name_ok(name) || n + 1 + strlen(name) + 1 > size) {
		errno = EINVAL;
		return -1;
	}
	memcpy(out, BOX_IPC_DIR, n);
	out[n] = '/';
	strcpy(out + n + 1, name);
	return 0;
}

int
box_ipc_prepare(const char *in, const char *out)
{
	char path[128];
	const char *names[2] = { in, out };
	struct stat st;
	int i;

	/* The volume's root comes as root's 0755: nobody but us may enter. */
	if (lstat(BOX_IPC_DIR, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    chmod(BOX_IPC_DIR, 0700) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		if (box_ipc_path(path, sizeof path, names[i]) != 0)
			return -1;
		if (mkfifo(path, 0600) != 0 && errno != EEXIST)
			return -1;
		if (lstat(path, &st) != 0 || !S_ISFIFO(st.st_mode)) {
			errno = EINVAL;
			return -1;
		}
	}
	return 0;
}

/* Opens one end and puts it at fd target. 0, or -1. */
static int
box_ipc_end(const char *name, int flags, int target)
{
	char path[128];
	int fd;

	if (box_ipc_path(path, sizeof path, name) != 0)
		return -1;
	do
		fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -1;
	if (dup2(fd, target) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
box_ipc_open(const char *in, const char *out, int out_first)
{
	if (out_first)
		return box_ipc_end(out, O_WRONLY, 1) == 0 && box_ipc_end(in, O_RDONLY, 0) == 0 ?
		    0 : -1;
	return box_ipc_end(in, O_RDONLY, 0) == 0 && box_ipc_end(out, O_WRONLY, 1) == 0 ? 0 : -1;
}

int
box_host_stop(char *buf, size_t cap, size_t *off, size_t *len)
{
	char tag[BOXPROTO_TAG_MAX + 1];
	uint64_t plen;
	ssize_t n;
	int h;

	if (*off == *len)
		*off = *len = 0;
	if (*len == cap)
		return -1;
	do
		n = read(0, buf + *len, cap - *len);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	*len += (size_t)n;
	h = boxproto_parse_header(buf + *off, *len - *off, tag, &plen);
	if (h == 0)
		return 0;
	if (h < 0 || strcmp(tag, "STOP") != 0 || plen != 0)
		return -1;
	*off += (size_t)h;
	return 1;
}
