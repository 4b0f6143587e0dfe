/*
 * Holds memory where a judge that counts only the heap would not look.
 * Input: a mode and a number of MiB. It first takes 40 MiB of heap, then
 * MIB more through the mode:
 *   heap    more heap (the control)
 *   shared  a MAP_SHARED anonymous mapping, each MiB dropped from our page
 *           tables right after it is written (madvise DONTNEED): RSS stays
 *           small, the pages stay in memory
 *   memfd   memfds written with pwrite, never mapped
 *   sysv    a SysV shared memory segment, detached after writing
 *   devshm  files in /dev/shm (POSIX shm)
 *   tmpfs   files in /tmp
 *   pipes   pipes of 1 MiB each, filled and never read
 * then holds it all for 50 ms (scrc-box samples every 5 ms; a burst shorter
 * than that is bounded by the kernel's limit only), prints "held" and
 * exits 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#define MiB (1L << 20)

static char block[MiB];

/* MIB MiB in files of 8 MiB (under the judge's file size limit), from open_next(). */
static void fill_files(int (*open_next)(int), long mib)
{
	int fd = -1;

	for (long i = 0; i < mib; i++) {
		if (i % 8 == 0 && (fd = open_next((int)(i / 8))) < 0)
			exit(2);
		if (pwrite(fd, block, MiB, (i % 8) * MiB) != MiB)
			exit(3);
	}
}

static int next_memfd(int n)
{
	(void)n;
	return memfd_create("hidden", 0);
}

static const char *dir;

static int next_file(int n)
{
	char path[64];

	snprintf(path, sizeof path, "%s/hidden%d", dir, n);
	return open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
}

int main(void)
{
	char mode[16];
	long mib;
	char *heap;

	if (scanf("%15s %ld", mode, &mib) != 2)
		return 1;
	memset(block, 'm', sizeof block);
	heap = malloc(40 * MiB);
	if (heap == NULL)
		return 2;
	memset(heap, 1, 40 * MiB);
	if (strcmp(mode, "heap") == 0) {
		char *more = malloc(mib * MiB);
		if (more == NULL)
			return 2;
		memset(more, 1, mib * MiB);
	} else if (strcmp(mode, "shared") == 0) {
		char *p = mmap(NULL, mib * MiB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		    -1, 0);
		if (p == MAP_FAILED)
			return 2;
		for (long i = 0; i < mib; i++) {
			memcpy(p + i * MiB, block, MiB);
			madvise(p + i * MiB, MiB, MADV_DONTNEED);
		}
	} else if (strcmp(mode, "memfd") == 0) {
		fill_files(next_memfd, mib);
	} else if (strcmp(mode, "sysv") == 0) {
		int id = shmget(IPC_PRIVATE, mib * MiB, IPC_CREAT | 0600);
		char *p = id < 0 ? (char *)-1 : shmat(id, NULL, 0);
		if (p == (char *)-1)
			return 2;
		for (long i = 0; i < mib; i++)
			memcpy(p + i * MiB, block, MiB);
		shmdt(p);
	} else if (strcmp(mode, "devshm") == 0 || strcmp(mode, "tmpfs") == 0) {
		dir = mode[0] == 'd' ? "/dev/shm" : "/tmp";
		fill_files(next_file, mib);
	} else if (strcmp(mode, "pipes") == 0) {
		for (long i = 0; i < mib; i++) {
			int p[2];
			if (pipe(p) != 0 || fcntl(p[1], F_SETPIPE_SZ, (int)MiB) < (int)MiB)
				return 4;
			fcntl(p[1], F_SETFL, O_NONBLOCK);
			for (long k = 0; k < 16; k++)
				if (write(p[1], block, 65536) != 65536)
					return 5;
		}
	} else
		return 1;
	usleep(50000);
	puts("held");
	return 0;
}
