/*
 * Goes after the box's control channel (SCRC_BOX_CHANNEL=socket), which a
 * program that got hold of it could use to speak as scrc-box: list the
 * mounted channel directory, connect to its socket, plant a socket of its
 * own there, and look for the token in its environment and in scrc-box's.
 * Prints one line per attempt, "denied" or what it got, and then
 * "denied N of 5".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int denied;

static void said(const char *what, int got, const char *how)
{
	if (got)
		printf("%s: GOT %s\n", what, how);
	else
		denied++;
}

static int unix_to(const char *path, int do_bind)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), rc;

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	strncpy(sa.sun_path, path, sizeof sa.sun_path - 1);
	rc = do_bind ? bind(fd, (struct sockaddr *)&sa, sizeof sa) :
	    connect(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
	return rc;
}

int main(void)
{
	char buf[8192], line[300];
	struct dirent *e;
	DIR *d;
	ssize_t n;
	int fd, entries = 0;

	d = opendir("/.scrc-ctl");
	if (d != NULL) {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				entries++;
		closedir(d);
	}
	snprintf(line, sizeof line, "%d entries", entries);
	said("list", entries > 0, line);
	said("connect", unix_to("/.scrc-ctl/s", 0) == 0, "a connection");
	said("bind", unix_to("/.scrc-ctl/p", 1) == 0, "a socket of its own");
	said("env", getenv("SCRC_BOX_TOKEN") != NULL, "the token");
	fd = open("/proc/1/environ", O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (n = n > 0 ? n : 0; n > 0; n--)
		if (buf[n - 1] == '\0')
			buf[n - 1] = '\n';
	said("box env", strstr(buf, "SCRC_BOX_TOKEN") != NULL, "the box's token");
	printf("denied %d of 5\n", denied);
	return 0;
}
