/*
 * box-cgroup.c - scrc-box's view of its container's cgroup (v1 or v2):
 * CPU time, OOM kills, memory the kernel cannot reclaim, the limit, and
 * the reserve. All memory of the container counts: a program that hides
 * memory in shared mappings, memfd, SysV or POSIX shm, tmpfs files or
 * pipe buffers is charged for it like for its heap. The reserve keeps the
 * kernel's hard limit close to the program's allowance although the
 * container was sized before its artifacts and inputs were known.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "box.h"

/* Enough for a whole memory.stat (v1 ~1 KiB, v2 ~2 KiB). */
#define BOX_STAT_MAX		8192
/* Limits above this are "no limit" (v1 reports ~2^63 for none). */
#define BOX_NO_LIMIT		((int64_t)1 << 60)
/* The reserve never grows past this, whatever the limit says. */
#define BOX_RESERVE_MAX		((size_t)64 << 30)
/* Resizes smaller than this are not worth a system call. */
#define BOX_RESERVE_STEP	((int64_t)256 << 10)

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

static int64_t	box_stat_field(int fd, const char *key, char *buf, size_t size, int reread);
static int64_t	box_read_number(int fd);
static int	box_open_ro(const char *path);

int
box_read_small(int fd, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int own = 0;

	if (fd < 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		own = 1;
	}
	do {
		n = pread(fd, buf, size - 1, 0);
	} while (n < 0 && errno == EINTR);
	if (own)
		close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

/*
 * The value of the line "KEY VALUE" of a flat-keyed cgroup file, or -1.
 * Keys are matched whole and at the start of a line, so "oom_kill" never
 * matches "oom_kill_disable". With reread 0, buf already holds the file.
 */
static int64_t
box_stat_field(int fd, const char *key, char *buf, size_t size, int reread)
{
	size_t klen = strlen(key);
	char *p;

	if (reread && (fd < 0 || box_read_small(fd, NULL, buf, size) < 0))
		return -1;
	for (p = buf; *p != '\0'; p++) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
		if ((p = strchr(p, '\n')) == NULL)
			break;
	}
	return -1;
}

/* A file holding one number ("max" on v2 means none): the number, or -1. */
static int64_t
box_read_number(int fd)
{
	char buf[64];

	if (fd < 0 || box_read_small(fd, NULL, buf, sizeof buf) < 0)
		return -1;
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	return strtoll(buf, NULL, 10);
}

static int
box_open_ro(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* Where each cgroup version keeps what we read, below the cgroup root. */
static const struct {
	enum box_cgroup_kind	 kind;
	const char		*cpu, *oom, *stat, *usage, *limit, *pids;
	const char		*file_keys[2];	/* memory.stat's file-cache lines */
} box_cg_layouts[] = {
	/* v1: the container has no child cgroups, so total_ is its own. */
	{ BOX_CGROUP_V1, "cpuacct/cpuacct.usage", "memory/memory.oom_control",
	  "memory/memory.stat", "memory/memory.usage_in_bytes", "memory/memory.limit_in_bytes",
	  "pids/pids.events", { "total_active_file", "total_inactive_file" } },
	/* v2 (memory.peak is not needed: Linux < 5.19 has none). */
	{ BOX_CGROUP_V2, "cpu.stat", "memory.events", "memory.stat", "memory.current",
	  "memory.max", "pids.events", { "active_file", "inactive_file" } },
};

/* Opens root/rel read-only. */
static int
box_cg_file(const char *root, const char *rel)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof path, "%s/%s", root, rel) >= sizeof path)
		return -1;
	return box_open_ro(path);
}

void
box_cg_open(struct box_cg *cg, const char *root)
{
	size_t i;

	memset(cg, 0, sizeof *cg);
	cg->kind = BOX_CGROUP_NONE;
	cg->cpu_fd = cg->oom_fd = cg->stat_fd = cg->usage_fd = cg->limit_fd = cg->pids_fd = -1;
	for (i = 0; i < sizeof box_cg_layouts / sizeof *box_cg_layouts; i++) {
		cg->cpu_fd = box_cg_file(root, box_cg_layouts[i].cpu);
		if (cg->cpu_fd < 0)
			continue;
		cg->kind = box_cg_layouts[i].kind;
		cg->oom_fd = box_cg_file(root, box_cg_layouts[i].oom);
		cg->stat_fd = box_cg_file(root, box_cg_layouts[i].stat);
		cg->usage_fd = box_cg_file(root, box_cg_layouts[i].usage);
		cg->limit_fd = box_cg_file(root, box_cg_layouts[i].limit);
		cg->pids_fd = box_cg_file(root, box_cg_layouts[i].pids);
		cg->file_keys[0] = box_cg_layouts[i].file_keys[0];
		cg->file_keys[1] = box_cg_layouts[i].file_keys[1];
		break;
	}
	if (cg->kind != BOX_CGROUP_NONE && box_cg_cpu_us(cg) < 0) {
		close(cg->cpu_fd);
		cg->cpu_fd = -1;
		cg->kind = BOX_CGROUP_NONE;
	}
	if (box_cg_charged(cg) < 0) {
		if (cg->usage_fd >= 0)
			close(cg->usage_fd);
		cg->usage_fd = -1;
	}
}

void
box_cg_close(struct box_cg *cg)
{
	int *fds[] = { &cg->cpu_fd, &cg->oom_fd, &cg->stat_fd, &cg->usage_fd, &cg->limit_fd,
	    &cg->pids_fd };
	size_t i;

	for (i = 0; i < sizeof fds / sizeof *fds; i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	if (cg->reserve != NULL)
		munmap(cg->reserve, cg->reserve_cap);
	cg->reserve = NULL;
	cg->reserve_cap = cg->reserve_len = 0;
	cg->kind = BOX_CGROUP_NONE;
}

const char *
box_cg_name(const struct box_cg *cg)
{
	return cg->kind == BOX_CGROUP_V1 ? "v1" : cg->kind == BOX_CGROUP_V2 ? "v2" : "none";
}

int64_t
box_cg_cpu_us(const struct box_cg *cg)
{
	char buf[BOX_STAT_MAX];

	if (cg->kind == BOX_CGROUP_V2)
		return box_stat_field(cg->cpu_fd, "usage_usec", buf, sizeof buf, 1);
	if (cg->kind == BOX_CGROUP_V1) {
		/* v1 cpuacct.usage is a bare number of nanoseconds. */
		int64_t ns = box_read_number(cg->cpu_fd);

		return ns < 0 ? -1 : ns / 1000;
	}
	return -1;
}

int64_t
box_cg_oom(const struct box_cg *cg)
{
	char buf[BOX_STAT_MAX];

	return box_stat_field(cg->oom_fd, "oom_kill", buf, sizeof buf, 1);
}

int64_t
box_cg_pids_max(const struct box_cg *cg)
{
	char buf[BOX_STAT_MAX];

	return box_stat_field(cg->pids_fd, "max", buf, sizeof buf, 1);
}

int64_t
box_cg_charged(const struct box_cg *cg)
{
	char buf[BOX_STAT_MAX];
	int64_t usage, f0, f1;

	usage = box_read_number(cg->usage_fd);
	if (usage < 0 || cg->stat_fd < 0 || box_read_small(cg->stat_fd, NULL, buf,
	    sizeof buf) < 0)
		return -1;
	/*
	 * shmem (tmpfs, memfd, SysV and POSIX shm) sits on the anonymous LRU
	 * lists, kernel memory on none: only the file lists are reclaimable.
	 */
	f0 = box_stat_field(cg->stat_fd, cg->file_keys[0], buf, sizeof buf, 0);
	f1 = box_stat_field(cg->stat_fd, cg->file_keys[1], buf, sizeof buf, 0);
	if (f0 < 0 || f1 < 0)
		return -1;
	usage -= f0 + f1;
	return usage > 0 ? usage : 0;
}

int64_t
box_cg_limit(const struct box_cg *cg)
{
	int64_t v = box_read_number(cg->limit_fd);

	return v <= 0 || v >= BOX_NO_LIMIT ? -1 : v;
}

void
box_cg_reserve(struct box_cg *cg, int64_t headroom)
{
	int64_t limit, charged, delta;
	long page = sysconf(_SC_PAGESIZE);
	size_t n, i;

	limit = box_cg_limit(cg);
	charged = box_cg_charged(cg);
	if (limit < 0 || charged < 0 || headroom < 0 || page <= 0)
		return;
	if (cg->reserve == NULL) {
		void *p;

		cg->reserve_cap = (size_t)limit < BOX_RESERVE_MAX ? (size_t)limit : BOX_RESERVE_MAX;
		p = mmap(NULL, cg->reserve_cap, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return;
		cg->reserve = p;
		/* Programs are forked from us: their fork must not copy it. */
		madvise(cg->reserve, cg->reserve_cap, MADV_DONTFORK);
		madvise(cg->reserve, cg->reserve_cap, MADV_NOHUGEPAGE);
	}
	delta = (limit - charged) - headroom;
	if (delta > -BOX_RESERVE_STEP && delta < BOX_RESERVE_STEP)
		return;
	if (delta > 0) {
		n = (size_t)delta & ~((size_t)page - 1);
		if (n > cg->reserve_cap - cg->reserve_len)
			n = cg->reserve_cap - cg->reserve_len;
		if (n == 0)
			return;
		if (madvise(cg->reserve + cg->reserve_len, n, MADV_POPULATE_WRITE) != 0) {
			/* Before Linux 5.14: touch each page. */
			for (i = 0; i < n; i += (size_t)page)
				cg->reserve[cg->reserve_len + i] = 1;
		}
		cg->reserve_len += n;
	} else {
		n = ((size_t)-delta + (size_t)page - 1) & ~((size_t)page - 1);
		if (n > cg->reserve_len)
			n = cg->reserve_len;
		if (n == 0)
			return;
		cg->reserve_len -= n;
		madvise(cg->reserve + cg->reserve_len, n, MADV_DONTNEED);
	}
}
