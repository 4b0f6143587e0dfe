/*
 * A submission that tries to leave everything it can to whatever is judged
 * next in its box: files and trees closed to their owner in every writable
 * place, 8 MiB in /dev/shm, SysV and POSIX IPC objects, and a daemon (its
 * own session, two forks away) that spins on the CPU while it holds
 * inotify instances, pipes and an 8 MiB memfd. It prints its box's host
 * name first.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void tree(const char *top)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof p, "%s/left", top);
	mkdir(p, 0777);
	snprintf(p, sizeof p, "%s/left/a", top);
	mkdir(p, 0777);
	snprintf(p, sizeof p, "%s/left/a/b", top);
	mkdir(p, 0777);
	snprintf(p, sizeof p, "%s/left/a/b/f", top);
	if ((f = fopen(p, "w")) != NULL) {
		fputs("left\n", f);
		fclose(f);
	}
	snprintf(p, sizeof p, "%s/left/a", top);
	chmod(p, 0);
}

int main(void)
{
	static char big[1 << 20];
	char host[256] = "", c;
	FILE *f = fopen("/etc/hostname", "r");
	int i, fd, ready[2];

	/* podman's /etc/hostname has no newline at its end, docker's has. */
	if (f != NULL && fgets(host, sizeof host, f) != NULL)
		host[strcspn(host, "\n")] = '\0';
	printf("%s\n", host);
	fflush(stdout);
	tree(".");
	tree("/tmp");
	tree("/dev/shm");
	memset(big, 'x', sizeof big);
	if ((fd = open("/dev/shm/big", O_WRONLY | O_CREAT, 0600)) >= 0) {
		for (i = 0; i < 8; i++)
			if (write(fd, big, sizeof big) < 0)
				break;
		close(fd);
	}
	/* What it managed to leave, on one line: the test checks it did. */
	printf("shm %d msg %d sem %d mq %d", shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600) >= 0,
	    msgget(IPC_PRIVATE, IPC_CREAT | 0600) >= 0, semget(IPC_PRIVATE, 1, IPC_CREAT | 0600) >= 0,
	    mq_open("/left", O_CREAT | O_RDWR, 0600, NULL) != (mqd_t)-1);
	fflush(stdout);
	if (pipe(ready) != 0)
		return 1;
	if (fork() == 0) {
		setsid();
		if (fork() == 0) {
			int p[2], n = 0;

			for (i = 0; i < 100; i++)
				n += inotify_init() >= 0;
			for (i = 0; i < 100; i++)
				if (pipe(p) != 0)
					break;
			fd = memfd_create("left", 0);
			for (i = 0; i < 8; i++)
				if (write(fd, big, sizeof big) < 0)
					break;
			printf(" daemon %d\n", n);
			fflush(stdout);
			close(ready[1]);
			for (;;)
				;
		}
		_exit(0);
	}
	close(ready[1]);
	/* The daemon is set up when its end of the pipe closes. */
	while (read(ready[0], &c, 1) > 0)
		;
	wait(NULL);
	return 0;
}
