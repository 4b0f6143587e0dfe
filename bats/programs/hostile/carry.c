/*
 * Tries to carry state from one test to the next of the same submission.
 * Input "write": leaves a mark in every place it can reach (the run
 * directory's parent, the work dir, the program directory, the artifact
 * itself, /tmp 300 levels deep, /dev/shm, SysV shm, message queue and
 * semaphore, a POSIX message queue); says on stderr which worked; prints
 * "ok". Input "check": prints "clean" when no mark of an earlier test is
 * found, else "found:" and where.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY 0x5c5c1234

static const char *files[] = { "../mark", "../../mark", "/box/mark", "/box/prog/mark",
	"/dev/shm/mark", "/tmp/mark", NULL };

static int deep(int create)
{
	char path[4096] = "/tmp/d";
	for (int i = 0; i < 300; i++) {
		if (create && mkdir(path, 0700) != 0 && errno != EEXIST)
			return i;
		if (!create && access(path, F_OK) != 0)
			return i;
		strcat(path, i < 200 ? "/d" : "/e");
	}
	return 300;
}

int main(int argc, char **argv)
{
	char what[16], self[4096];
	int found = 0;
	ssize_t n;

	if (scanf("%15s", what) != 1)
		return 1;
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	(void)argc;
	(void)argv;
	if (strcmp(what, "write") == 0) {
		for (int i = 0; files[i] != NULL; i++) {
			int fd = open(files[i], O_WRONLY | O_CREAT, 0644);
			fprintf(stderr, "%s: %s\n", files[i], fd >= 0 ? "written" : strerror(errno));
		}
		fprintf(stderr, "artifact %s: %s\n", self,
		    open(self, O_WRONLY) >= 0 ? "writable" : strerror(errno));
		fprintf(stderr, "chmod artifact: %s\n", chmod(self, 0777) == 0 ? "done" : strerror(errno));
		fprintf(stderr, "deep: %d levels\n", deep(1));
		fprintf(stderr, "shm: %d\n", shmget(KEY, 4096, IPC_CREAT | 0600));
		fprintf(stderr, "msg: %d\n", msgget(KEY, IPC_CREAT | 0600));
		fprintf(stderr, "sem: %d\n", semget(KEY, 1, IPC_CREAT | 0600));
		fprintf(stderr, "mq: %d\n", (int)mq_open("/scrc-mark", O_CREAT | O_RDWR, 0600, NULL));
		puts("ok");
		return 0;
	}
	static char list[1024];
#define FOUND(name) do { found++; strcat(list, " "); strcat(list, name); } while (0)
	for (int i = 0; files[i] != NULL; i++)
		if (access(files[i], F_OK) == 0)
			FOUND(files[i]);
	if (access(self, W_OK) == 0)
		FOUND("writable-artifact");
	if (deep(0) > 0)
		FOUND("deep-tree");
	if (shmget(KEY, 0, 0) >= 0)
		FOUND("shm");
	if (msgget(KEY, 0) >= 0)
		FOUND("msg");
	if (semget(KEY, 0, 0) >= 0)
		FOUND("sem");
	if (mq_open("/scrc-mark", O_RDONLY) != (mqd_t)-1)
		FOUND("mq");
	if (found)
		printf("found:%s\n", list);
	else
		printf("clean\n");
	return 0;
}
