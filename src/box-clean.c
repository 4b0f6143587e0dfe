/*
 * box-clean.c - between two runs of a box, undo everything the program
 * left: files and trees of any depth in its directory, /tmp, /dev/shm,
 * POSIX message queues, and SysV shared memory, queues and semaphores.
 * The work is done by a child that takes on the program's uid: it can
 * remove exactly what the program could make (the artifacts, owned by
 * root, stay), and scrc-box itself never walks a tree the program built.
 * Every tmpfs has an inode limit, so the work is bounded; a deadline
 * bounds its time too.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "box.h"

/*
 * Deeper than this, a tree is moved up to the top directory instead of
 * being entered: one descriptor per level stays well under RLIMIT_NOFILE,
 * and no depth is out of reach.
 */
#define BOX_CLEAN_DEPTH		32

/* Linux >= 4.17: list IPC objects whatever their permission bits say. */
#ifndef SHM_STAT_ANY
#define SHM_STAT_ANY		15
#endif
#ifndef MSG_STAT_ANY
#define MSG_STAT_ANY		13
#endif
#ifndef SEM_STAT_ANY
#define SEM_STAT_ANY		20
#endif

union box_semun {
	int			 val;
	struct semid_ds		*buf;
	unsigned short		*array;
	struct seminfo		*info;
};

/* One emptying of a top directory. */
struct box_walk {
	int		 top;
	unsigned	 moved;		/* subtrees moved up to top this pass */
	unsigned	 seq;		/* names for moved subtrees */
	unsigned	 left;		/* entries that would not go */
};

static void	box_walk_dir(struct box_walk *w, int fd, int depth);
static int	box_empty_dir(int top);
static void	box_ipc_clear(void);
static void	box_clean_child(const struct box_clean_job *job) __attribute__((noreturn));
static int64_t	box_clean_now_ms(void);

int
box_become(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0 ||
	    setresuid(uid, uid, uid) != 0)
		return -1;
	/* A uid change that did not happen must not go unseen. */
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid)
		return -1;
	return 0;
}

/* Removes what is in fd (a directory under w->top, depth levels down). */
static void
box_walk_dir(struct box_walk *w, int fd, int depth)
{
	struct dirent *de;
	char name[64];
	DIR *d;
	int sub, dfd;

	dfd = dup(fd);
	if (dfd < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		w->left++;
		return;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* tmpfs says what each entry is: one call for a file, not two. */
		if (de->d_type != DT_DIR && (unlinkat(fd, de->d_name, 0) == 0 || errno == ENOENT))
			continue;
		if (unlinkat(fd, de->d_name, AT_REMOVEDIR) == 0 || errno == ENOENT)
			continue;
		if (depth + 1 >= BOX_CLEAN_DEPTH) {
			/* Too deep to enter: bring it up, it is walked again from there. */
			for (;;) {
				snprintf(name, sizeof name, ".scrc-deep-%u", w->seq++);
				if (renameat2(fd, de->d_name, w->top, name, RENAME_NOREPLACE) == 0) {
					w->moved++;
					break;
				}
				if (errno != EEXIST) {
					w->left++;
					break;
				}
			}
			continue;
		}
		/*
		 * The program may have taken its own permissions away. A failure
		 * here shows as the openat() below failing, which is counted.
		 */
		(void)!fchmodat(fd, de->d_name, 0700, 0);
		sub = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			w->left++;
			continue;
		}
		box_walk_dir(w, sub, depth + 1);
		close(sub);
		if (unlinkat(fd, de->d_name, AT_REMOVEDIR) != 0 && errno != ENOENT)
			w->left++;
	}
	closedir(d);
}

/* Empties top; 0 when nothing is left in it. */
static int
box_empty_dir(int top)
{
	struct box_walk w;

	memset(&w, 0, sizeof w);
	w.top = top;
	/* Its own directory may have been closed to it; /tmp and the like stay root's. */
	fchmod(top, 0700);
	do {
		w.moved = 0;
		w.left = 0;
		box_walk_dir(&w, top, 0);
	} while (w.moved > 0);
	return w.left == 0 ? 0 : -1;
}

/* Removes every SysV IPC object this uid created or owns. */
static void
box_ipc_clear(void)
{
	struct shm_info shi;
	struct shmid_ds shd;
	struct msginfo mi;
	struct msqid_ds mqd;
	struct seminfo si;
	struct semid_ds sd;
	union box_semun arg;
	int max, i, id;

	max = shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&shi);
	for (i = 0; i <= max; i++) {
		if ((id = shmctl(i, SHM_STAT_ANY, &shd)) >= 0 ||
		    (id = shmctl(i, SHM_STAT, &shd)) >= 0)
			shmctl(id, IPC_RMID, NULL);
	}
	max = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi);
	for (i = 0; i <= max; i++) {
		if ((id = msgctl(i, MSG_STAT_ANY, &mqd)) >= 0 ||
		    (id = msgctl(i, MSG_STAT, &mqd)) >= 0)
			msgctl(id, IPC_RMID, NULL);
	}
	arg.info = &si;
	max = semctl(0, 0, SEM_INFO, arg);
	for (i = 0; i <= max; i++) {
		arg.buf = &sd;
		if ((id = semctl(i, 0, SEM_STAT_ANY, arg)) >= 0 ||
		    (id = semctl(i, 0, SEM_STAT, arg)) >= 0)
			semctl(id, 0, IPC_RMID);
	}
}

static void
box_clean_child(const struct box_clean_job *job)
{
	sigset_t none;
	size_t i;
	int left = 0;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (job->uid != 0 && box_become(job->uid, job->gid) != 0)
		_exit(2);
	for (i = 0; i < job->ndirs; i++)
		if (job->dirs[i] >= 0 && box_empty_dir(job->dirs[i]) != 0)
			left = 1;
	box_ipc_clear();
	_exit(left);
}

static int64_t
box_clean_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
box_clean_run(const struct box_clean_job *job)
{
	struct signalfd_siginfo si;
	struct pollfd pfd;
	int64_t deadline = box_clean_now_ms() + job->timeout_ms, now;
	int status;
	pid_t pid, w;

	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0)
		box_clean_child(job);
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
		if (w < 0 && errno != EINTR)
			return 1;
		now = box_clean_now_ms();
		if (now >= deadline) {
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			return 1;
		}
		pfd.fd = job->sig_fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)(deadline - now)) > 0)
			while (read(job->sig_fd, &si, sizeof si) > 0)
				;
	}
}

/* The first entry of fd other than skip, into name; 1 when there is one. */
static int
box_first_entry(int fd, const char *skip, char *name, size_t size)
{
	struct dirent *de;
	DIR *d;
	int dfd = dup(fd), found = 0;

	if (dfd < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		snprintf(name, size, "(unreadable)");
		return 1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    (skip != NULL && strcmp(de->d_name, skip) == 0))
			continue;
		snprintf(name, size, "%s", de->d_name);
		found = 1;
		break;
	}
	closedir(d);
	return found;
}

/* A process of the container other than PID 1 and us, into *pid; 1 when one is. */
static int
box_other_process(long *pid)
{
	struct dirent *de;
	char *end;
	long v, self = (long)getpid();
	DIR *d = opendir("/proc");

	if (d == NULL) {
		*pid = -1;
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		v = strtol(de->d_name, &end, 10);
		if (*end != '\0' || v <= 0 || v == 1 || v == self)
			continue;
		*pid = v;
		closedir(d);
		return 1;
	}
	closedir(d);
	return 0;
}

int
box_clean_verify(const int *dirs, size_t ndirs, const char *ignore, char *why,
    size_t why_size)
{
	struct shm_info shi;
	struct msginfo mi;
	struct seminfo si;
	union box_semun arg;
	char name[256];
	size_t i;
	long pid;
	int sub;

	if (box_other_process(&pid)) {
		snprintf(why, why_size, "process %ld is still there", pid);
		return -1;
	}
	for (i = 0; i < ndirs; i++) {
		if (dirs[i] < 0)
			continue;
		if (box_first_entry(dirs[i], i == 0 ? ignore : NULL, name, sizeof name)) {
			snprintf(why, why_size, "%s is left", name);
			return -1;
		}
	}
	if (ignore != NULL && ndirs > 0 && dirs[0] >= 0) {
		sub = openat(dirs[0], ignore, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0) {
			int left = box_first_entry(sub, NULL, name, sizeof name);

			close(sub);
			if (left) {
				snprintf(why, why_size, "%s/%s is left", ignore, name);
				return -1;
			}
		} else if (errno != ENOENT) {
			snprintf(why, why_size, "%s: %s", ignore, strerror(errno));
			return -1;
		}
	}
	/* The *_INFO calls count the objects in use, whoever owns them. */
	if (shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&shi) >= 0 && shi.used_ids > 0) {
		snprintf(why, why_size, "%d SysV shared memory segments are left", shi.used_ids);
		return -1;
	}
	if (msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi) >= 0 && mi.msgpool > 0) {
		snprintf(why, why_size, "%d SysV message queues are left", mi.msgpool);
		return -1;
	}
	arg.info = &si;
	if (semctl(0, 0, SEM_INFO, arg) >= 0 && si.semusz > 0) {
		snprintf(why, why_size, "%d SysV semaphore sets are left", si.semusz);
		return -1;
	}
	return 0;
}
