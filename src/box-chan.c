/*
 * box-chan.c - scrc-box's end of a control channel (chan.h): when the host
 * mounted one, connect to its socket, say the token, and make the socket
 * our stdin and stdout, so that the rest of scrc-box speaks its frames
 * exactly as it does over an attached docker CLI's pipes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "box.h"
#include "chan.h"

int
box_chan_connect(void)
{
	const char *path = getenv(CHAN_ENV_PATH), *token = getenv(CHAN_ENV_TOKEN);
	struct sockaddr_un sa;
	char line[CHAN_TOKEN_LEN + 1];
	size_t off = 0;
	ssize_t n;
	int fd;

	if (path == NULL)
		return 0;
	if (token == NULL || strlen(token) != CHAN_TOKEN_LEN ||
	    strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "scrc-box: %s without a token of %d digits, or too long\n",
		    CHAN_ENV_PATH, CHAN_TOKEN_LEN);
		return -1;
	}
	memcpy(line, token, CHAN_TOKEN_LEN);
	line[CHAN_TOKEN_LEN] = '\n';
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		fprintf(stderr, "scrc-box: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (off < sizeof line) {
		n = write(fd, line + off, sizeof line - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "scrc-box: %s: %s\n", path, strerror(errno));
			return -1;
		}
		off += (size_t)n;
	}
	/* Our programs get environments of their own; nothing needs these now. */
	unsetenv(CHAN_ENV_TOKEN);
	unsetenv(CHAN_ENV_PATH);
	if (dup2(fd, 0) != 0 || dup2(fd, 1) != 1) {
		fprintf(stderr, "scrc-box: dup2: %s\n", strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}
