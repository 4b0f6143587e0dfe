#!/usr/bin/env bats
# box.bats - the execution engine through the real Docker engine: docker.c
# opens a box (a sandboxed container with scrc-box as PID 1, attached over
# one stream), sends files in, runs programs and fetches files back. A small
# driver (box-probe, built here from src/docker.c, uidpool.c, util.c, tally.c,
# chan.c and cligate.c) speaks docker.h from a line script; a static test
# program `t` in a throwaway image plays the misbehaving submission (CPU
# hog, sleeper, memory hog, output flood, fork bomb, daemon, disk filler, a
# family of memory-holding processes, deep recursion). Needs a running Docker
# daemon (contrib/docker-ensure.sh start), gcc with static libc, and
# libpipeline; uses $SCRC_BOX when it names a built scrc-box.

load helpers

setup_file() {
	require_docker
	local root dir
	root=$(repo_root)
	dir=$BATS_FILE_TMPDIR
	export BOX_ID="bats-box-$$-$RANDOM"
	export BOX_IMAGE="scrc-test/box:bats-$$-$RANDOM"

	printf '#define PACKAGE_VERSION "0.1.0"\n#define PACKAGE "scrc"\n' > "$dir/config.h"
	if [ -n "${SCRC_BOX:-}" ] && [ -x "$SCRC_BOX" ]; then
		export BOX_BIN=$SCRC_BOX
	else
		export BOX_BIN=$dir/scrc-box
		gcc -std=gnu11 -O2 -D_GNU_SOURCE -I"$dir" -I"$root/src" -static \
			-o "$BOX_BIN" "$root/src/scrc-box.c" "$root/src/box-cgroup.c" \
			"$root/src/box-clean.c"
	fi

	# The misbehaving submission: one static binary, the first argument picks
	# what it does.
	mkdir -p "$dir/img/bin"
	cat > "$dir/t.c" <<'EOF'
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
/* About 100 bytes of stack per call; the check after the call keeps it a real call. */
static long deep(long n)
{
	volatile char pad[80];
	pad[0] = (char)n;
	if (n == 0)
		return 0;
	return deep(n - 1) + (pad[0] != (char)n);
}
static long cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000L +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}
int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	char b[65536];
	ssize_t n;
	if (!strcmp(c, "hog")) { volatile unsigned long x = 0; for (;;) x++; }
	if (!strcmp(c, "burn")) {
		volatile unsigned long x = 0;
		while (cpu_ms() < atol(argv[2])) x++;
		printf("burned %ld\n", cpu_ms());
		return 0;
	}
	if (!strcmp(c, "sleep")) { usleep(atol(argv[2]) * 1000); return 0; }
	if (!strcmp(c, "echo")) {
		for (int i = 2; i < argc; i++) printf("%s%s", argv[i], i + 1 < argc ? " " : "");
		printf("\n");
		return 0;
	}
	if (!strcmp(c, "cat")) { while ((n = read(0, b, sizeof b)) > 0) fwrite(b, 1, n, stdout); return 0; }
	if (!strcmp(c, "forkbomb")) { for (;;) fork(); }
	if (!strcmp(c, "mem")) {
		for (long i = 0; i < atol(argv[2]); i++) {
			char *p = malloc(1 << 20);
			if (!p) { puts("malloc failed"); return 4; }
			memset(p, 1, 1 << 20);
		}
		puts("ok");
		return 0;
	}
	if (!strcmp(c, "family")) {
		/* family N MIB HOLD_MS: N children, each touching MIB MiB, all alive together. */
		int nk = atoi(argv[2]), ready[2], go[2];
		long mib = atol(argv[3]);
		char x;
		if (pipe(ready) || pipe(go)) return 6;
		for (int i = 0; i < nk; i++) {
			if (fork() == 0) {
				char *p = malloc(mib << 20);
				if (!p) _exit(4);
				memset(p, 1, mib << 20);
				close(go[1]);
				if (write(ready[1], "r", 1) != 1) _exit(5);
				read(go[0], &x, 1);	/* held until the parent lets go */
				_exit(p[mib << 19] == 1 ? 0 : 7);
			}
		}
		close(ready[1]);
		close(go[0]);
		for (int i = 0; i < nk; i++) if (read(ready[0], &x, 1) != 1) return 8;
		usleep(atol(argv[4]) * 1000);
		close(go[1]);
		int st, bad = 0;
		while (wait(&st) > 0) bad += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
		printf("family done bad=%d\n", bad);
		return bad != 0;
	}
	if (!strcmp(c, "deep")) { printf("deep %ld\n", deep(atol(argv[2]))); return 0; }
	if (!strcmp(c, "file")) {
		/* file NAME MIB: writes MIB MiB to NAME */
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		memset(b, 'z', sizeof b);
		for (long i = 0; i < atol(argv[3]) * 16; i++) {
			if (write(fd, b, sizeof b) != (ssize_t)sizeof b) {
				perror("write");
				return 3;
			}
		}
		puts("written");
		return 0;
	}
	if (!strcmp(c, "flood")) { memset(b, 'x', 4096); for (;;) if (write(1, b, 4096) < 0) return 5; }
	if (!strcmp(c, "fill")) {
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		long tot = 0;
		signal(SIGXFSZ, SIG_IGN);
		memset(b, 'y', 4096);
		for (;;) {
			n = write(fd, b, 4096);
			if (n <= 0) { printf("stopped %ld %s\n", tot, strerror(errno)); return 3; }
			tot += n;
		}
	}
	if (!strcmp(c, "daemon")) {
		if (fork() == 0) { setsid(); if (fork() == 0) for (;;) pause(); for (;;) pause(); }
		puts("parent exits");
		return 0;
	}
	if (!strcmp(c, "ps")) {
		int k = 0;
		DIR *d = opendir("/proc");
		struct dirent *de;
		while ((de = readdir(d)))
			if (de->d_name[0] >= '1' && de->d_name[0] <= '9' && atoi(de->d_name) != 1 &&
			    atoi(de->d_name) != getpid())
				k++;
		printf("others %d\n", k);
		return 0;
	}
	if (!strcmp(c, "ls")) {
		DIR *d = opendir(argc > 2 ? argv[2] : ".");
		struct dirent *de;
		int k = 0;
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) { printf("%s,", de->d_name); k++; }
		printf("count %d\n", k);
		return 0;
	}
	if (!strcmp(c, "write")) {
		FILE *f = fopen(argv[2], "w");
		if (!f) { perror(argv[2]); return 2; }
		fputs(argc > 3 ? argv[3] : "data", f);
		fclose(f);
		return 0;
	}
	if (!strcmp(c, "cwd")) { puts(getcwd(b, sizeof b)); return 0; }
	if (!strcmp(c, "proc1")) {
		int fd = open("/proc/1/fd/1", O_WRONLY);
		printf("open /proc/1/fd/1: %s\n", fd < 0 ? strerror(errno) : "OPENED");
		return 0;
	}
	if (!strcmp(c, "exit")) return atoi(argv[2]);
	fprintf(stderr, "unknown %s\n", c);
	return 99;
}
EOF
	gcc -O1 -static -o "$dir/img/bin/t" "$dir/t.c"
	tar -C "$dir/img" -c . | docker import - "$BOX_IMAGE" >/dev/null

	# The driver: one docker.h call per script line, results as key=value.
	cat > "$dir/probe.c" <<'EOF'
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "docker.h"
#include "util.h"
static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}
static void show(const char *what, const struct buf *b)
{
	printf("%s: ", what);
	for (size_t i = 0; i < b->len && i < 300; i++) {
		unsigned char c = (unsigned char)b->data[i];
		if (c == '\n') printf("\\n");
		else if (c < 32 || c > 126) printf("\\x%02x", c);
		else putchar(c);
	}
	putchar('\n');
}
int main(void)
{
	char line[8192], err[1024];
	struct docker_box *box = NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof line, stdin)) {
		char *w[256], *p = line, *t;
		int n = 0;
		while ((t = strsep(&p, " \n")) != NULL) if (*t && n < 255) w[n++] = t;
		w[n] = NULL;
		if (n == 0) continue;
		if (strcmp(w[0], "open") && strcmp(w[0], "cleanup") && !box) {
			printf("%s skipped: no box\n", w[0]);
			continue;
		}
		if (!strcmp(w[0], "open")) {
			/* open MEMORY PIDS [WORKDIR_BYTES] */
			struct docker_box_spec s;
			memset(&s, 0, sizeof s);
			s.image = getenv("BOX_IMAGE"); s.submission_id = getenv("BOX_ID");
			s.role = "run"; s.workdir = "/box"; s.workdir_bytes = 16 << 20;
			util_parse_bytes(w[1], &s.memory_bytes); s.pids_limit = atoi(w[2]);
			if (n > 3) util_parse_bytes(w[3], &s.workdir_bytes);
			s.box_path = getenv("BOX_BIN");
			int64_t t0 = util_now_ms();
			box = docker_box_open(&s, err, sizeof err);
			if (box) printf("open ok ms=%lld\n", (long long)(util_now_ms() - t0));
			else printf("open fail: %s\n", err);
		} else if (!strcmp(w[0], "put")) {
			/* put PATH MODE TEXT */
			int r = docker_box_put(box, w[1], w[3], strlen(w[3]), (int)strtol(w[2], NULL, 8),
			    err, sizeof err);
			if (r == 0) printf("put ok\n"); else printf("put fail: %s\n", err);
		} else if (!strcmp(w[0], "exec") || !strcmp(w[0], "bench")) {
			/* exec [cpu= wall= cap= fsize= cwd= in= env=]... -- ARGV; bench N ... */
			struct docker_exec ex;
			struct docker_exec_result r;
			const char *env[32] = { "PATH=/bin", NULL };
			int ne = 1, i = 1, reps = 1;
			memset(&ex, 0, sizeof ex);
			ex.cpu_ms = 2000; ex.wall_ms = 3000; ex.output_cap = 1 << 20; ex.file_size = 1 << 20;
			if (!strcmp(w[0], "bench")) reps = atoi(w[i++]);
			for (; i < n && strcmp(w[i], "--"); i++) {
				char *v = strchr(w[i], '=');
				*v++ = 0;
				if (!strcmp(w[i], "cpu")) ex.cpu_ms = atoll(v);
				else if (!strcmp(w[i], "wall")) ex.wall_ms = atoll(v);
				else if (!strcmp(w[i], "cap")) ex.output_cap = atoll(v);
				else if (!strcmp(w[i], "fsize")) ex.file_size = atoll(v);
				else if (!strcmp(w[i], "mem")) util_parse_bytes(v, &ex.mem_limit);
				else if (!strcmp(w[i], "cwd")) ex.cwd = v;
				else if (!strcmp(w[i], "in")) { ex.input = v; ex.input_len = strlen(v); }
				else if (!strcmp(w[i], "env")) { env[ne++] = v; env[ne] = NULL; }
			}
			ex.argv = (const char *const *)&w[i + 1];
			ex.env = env;
			int64_t *ov = calloc(reps, sizeof *ov), us0 = util_now_us(), prog_ms = 0;
			int done = 0;
			for (int k = 0; k < reps; k++) {
				int64_t t0 = util_now_ms();
				if (docker_box_exec(box, &ex, &r, err, sizeof err) != 0) {
					printf("exec fail: %s\n", err);
					break;
				}
				ov[done++] = util_now_ms() - t0 - r.wall_ms;
				prog_ms += r.wall_ms;
				if (reps == 1) {
					printf("exec exited=%d code=%d signal=%d cpu_ms=%lld wall_ms=%lld mem=%lld "
					    "oom=%d cpu_hit=%d wall_hit=%d out_hit=%d mem_hit=%d dirty=%d "
					    "outlen=%zu errlen=%zu host_ms=%lld\n", r.exited, r.exit_code,
					    r.signal, (long long)r.cpu_ms, (long long)r.wall_ms,
					    (long long)r.memory_bytes, r.oom_killed, r.cpu_limit_hit,
					    r.wall_limit_hit, r.output_limit_hit, r.mem_limit_hit, r.dirty,
					    r.out.len, r.err.len,
					    (long long)(util_now_ms() - t0));
					show("out", &r.out);
					show("err", &r.err);
				}
				docker_exec_result_free(&r);
			}
			if (reps > 1 && done == reps) {
				qsort(ov, reps, sizeof *ov, cmp64);
				/* mean_us: the whole round trip, the program's own wall time included */
				printf("bench n=%d p50=%lld p95=%lld max=%lld mean_us=%lld prog_ms=%lld\n",
				    reps, (long long)ov[reps / 2], (long long)ov[reps * 95 / 100],
				    (long long)ov[reps - 1], (long long)((util_now_us() - us0) / reps),
				    (long long)prog_ms);
			}
			free(ov);
		} else if (!strcmp(w[0], "fetch")) {
			/* fetch BASE MAX NAME... */
			struct docker_files f;
			if (docker_box_fetch(box, w[1], (const char *const *)&w[3], atoll(w[2]), &f, err,
			    sizeof err) != 0) {
				printf("fetch fail: %s\n", err);
				continue;
			}
			for (size_t k = 0; k < f.n; k++)
				printf("file %s %o %zu %.*s\n", f.v[k].path, f.v[k].mode, f.v[k].len,
				    (int)f.v[k].len, f.v[k].data);
			printf("fetch ok n=%zu\n", f.n);
			docker_files_free(&f);
		} else if (!strcmp(w[0], "close")) {
			int64_t t0 = util_now_ms();
			docker_box_close(box);
			box = NULL;
			printf("close ms=%lld\n", (long long)(util_now_ms() - t0));
		} else if (!strcmp(w[0], "cleanup")) {
			printf("cleanup %d\n", docker_cleanup(w[1], err, sizeof err));
		} else
			printf("unknown %s\n", w[0]);
	}
	docker_box_close(box);
	return 0;
}
EOF
	gcc -std=gnu11 -O2 -D_GNU_SOURCE -I"$dir" -I"$root/src" -o "$dir/box-probe" \
		"$dir/probe.c" "$root/src/docker.c" "$root/src/uidpool.c" "$root/src/util.c" \
		"$root/src/tally.c" "$root/src/chan.c" "$root/src/cligate.c" -lpipeline
	export PROBE=$dir/box-probe
}

teardown_file() {
	local ids
	ids=$(docker ps -aq --filter "label=scrc.submission=$BOX_ID" 2>/dev/null)
	[ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1
	docker rmi -f "$BOX_IMAGE" >/dev/null 2>&1
	true
}

# probe: runs box-probe on the script given on stdin.
probe() {
	"$PROBE"
}

# val KEY LINE: the value of KEY=value in LINE.
val() {
	sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< " $2"
}

# line PREFIX: the Nth (default first) output line starting with PREFIX.
line() {
	grep -- "^$1" <<< "$output" | sed -n "${2:-1}p"
}

@test "a CPU hog is killed at its CPU limit" {
	run probe <<'EOF'
open 64m 64
exec cpu=1000 wall=5000 -- t hog
close
EOF
	echo "$output"
	local l
	l=$(line "exec ")
	[ "$(val cpu_hit "$l")" = 1 ]
	[ "$(val wall_hit "$l")" = 0 ]
	[ "$(val exited "$l")" = 0 ]
	[ "$(val signal "$l")" = 9 ]
	[ "$(val cpu_ms "$l")" -ge 1000 ]
	[ "$(val cpu_ms "$l")" -le 1150 ]
}

@test "a program burning 400 ms of CPU reports it within 15%" {
	run probe <<'EOF'
open 64m 64
exec -- t burn 400
close
EOF
	echo "$output"
	local l
	l=$(line "exec ")
	[ "$(val exited "$l")" = 1 ]
	[ "$(val code "$l")" = 0 ]
	[ "$(val cpu_hit "$l")" = 0 ]
	[ "$(val cpu_ms "$l")" -ge 340 ]
	[ "$(val cpu_ms "$l")" -le 460 ]
	[[ "$(line "out:")" == "out: burned 4"* ]]
}

@test "a sleeper is killed at the wall limit" {
	run probe <<'EOF'
open 64m 64
exec cpu=2000 wall=500 -- t sleep 5000
close
EOF
	echo "$output"
	local l
	l=$(line "exec ")
	[ "$(val wall_hit "$l")" = 1 ]
	[ "$(val cpu_hit "$l")" = 0 ]
	[ "$(val signal "$l")" = 9 ]
	[ "$(val wall_ms "$l")" -ge 500 ]
	[ "$(val wall_ms "$l")" -le 800 ]
	[ "$(val cpu_ms "$l")" -le 100 ]
}

@test "a memory hog under --memory 64m is OOM-killed and the box lives on" {
	run probe <<'EOF'
open 64m 64
exec -- t mem 200
exec -- t echo alive
close
EOF
	echo "$output"
	local l
	l=$(line "exec " 1)
	[ "$(val oom "$l")" = 1 ]
	[ "$(val exited "$l")" = 0 ]
	[ "$(val signal "$l")" = 9 ]
	[ "$(val mem "$l")" -ge $((32 << 20)) ]
	[ "$(line "out:" 2)" = 'out: alive\n' ]
}

@test "peak memory is the sum over processes alive together: 6 children of 32 MiB" {
	# The container is bigger than the program's limit (tmpfs is charged to
	# it), so no OOM kill: only the reported peak can make this ML.
	run probe <<'EOF'
open 512m 64
exec -- t family 6 32 300
close
EOF
	echo "$output"
	local l
	l=$(line "exec ")
	[ "$(val exited "$l")" = 1 ]
	[ "$(val code "$l")" = 0 ]
	[ "$(val oom "$l")" = 0 ]
	[ "$(line "out:")" = 'out: family done bad=0\n' ]
	[ "$(val mem "$l")" -ge $((150 << 20)) ]
	[ "$(val mem "$l")" -le $((220 << 20)) ]
}

@test "a single 40 MiB program reports 40 to 48 MiB, also after a bigger run" {
	run probe <<'EOF'
open 256m 64
exec -- t mem 120
exec -- t mem 40
exec -- t exit 0
close
EOF
	echo "$output"
	local l
	l=$(line "exec " 2)
	[ "$(line "out:" 2)" = 'out: ok\n' ]
	[ "$(val mem "$l")" -ge $((40 << 20)) ]
	[ "$(val mem "$l")" -le $((48 << 20)) ]
	# Nothing of the earlier runs is charged to a trivial one.
	[ "$(val mem "$(line "exec " 3)")" -le $((4 << 20)) ]
}

@test "files in the run's directory, /tmp and /dev/shm count as its memory; the next run starts from zero" {
	run probe <<'EOF'
open 200m 64 48m
exec fsize=100000000 -- t file big 30
exec fsize=100000000 -- t file /tmp/big 30
exec fsize=100000000 -- t file /dev/shm/big 30
exec -- t echo after
close
EOF
	echo "$output"
	local l k
	for k in 1 2 3; do
		l=$(line "exec " $k)
		[ "$(line "out:" $k)" = 'out: written\n' ]
		[ "$(val code "$l")" = 0 ]
		[ "$(val mem "$l")" -ge $((28 << 20)) ]
		[ "$(val mem "$l")" -le $((40 << 20)) ]
		[ "$(val dirty "$l")" = 0 ]
	done
	[ "$(line "out:" 4)" = 'out: after\n' ]
	[ "$(val mem "$(line "exec " 4)")" -le $((4 << 20)) ]
}

@test "a run holding files past its allowance is stopped near it, by scrc-box or the kernel" {
	# The container allows 200m; the allowance is 24m. The reserve takes the rest.
	run probe <<'EOF'
open 200m 64 100m
exec mem=24m fsize=100000000 -- t file /tmp/big 80
exec mem=24m fsize=100000000 -- t file /dev/shm/big 80
exec mem=24m -- t mem 60
exec mem=24m -- t mem 10
close
EOF
	echo "$output"
	local l k
	for k in 1 2 3; do
		l=$(line "exec " $k)
		# Killed (signal 9), or the write failed when the kernel refused memory.
		[ "$(val mem_hit "$l")" = 1 ] || [ "$(val oom "$l")" = 1 ] || [ "$(val code "$l")" = 3 ]
		[ "$(val mem "$l")" -le $(((24 + 8 + 8) << 20)) ]
	done
	# A run within the allowance is untouched.
	l=$(line "exec " 4)
	[ "$(val code "$l")" = 0 ] && [ "$(val mem_hit "$l")" = 0 ] && [ "$(val oom "$l")" = 0 ]
}

@test "recursion 1,000,000 deep (~100 MiB of stack) runs; the stack counts as memory" {
	run probe <<'EOF'
open 256m 64
exec -- t deep 1000000
close
EOF
	echo "$output"
	local l
	l=$(line "exec ")
	[ "$(val exited "$l")" = 1 ]
	[ "$(val code "$l")" = 0 ]
	[ "$(line "out:")" = 'out: deep 0\n' ]
	[ "$(val mem "$l")" -ge $((80 << 20)) ]
}

@test "an output flood stops at the cap with exactly the cap returned" {
	run probe <<'EOF'
open 64m 64
exec cap=100000 -- t flood
exec cap=100000 -- t echo small
close
EOF
	echo "$output"
	local l
	l=$(line "exec " 1)
	[ "$(val out_hit "$l")" = 1 ]
	[ "$(val outlen "$l")" = 100000 ]
	[ "$(val exited "$l")" = 0 ]
	l=$(line "exec " 2)
	[ "$(val out_hit "$l")" = 0 ]
	[ "$(val outlen "$l")" = 6 ]
}

@test "a fork bomb is contained by the pids limit and the next run works" {
	run probe <<'EOF'
open 64m 32
exec cpu=1000 wall=3000 -- t forkbomb
exec -- t ps
exec -- t echo after
close
EOF
	echo "$output"
	[[ "$(line "exec " 1)" == *"exited=0 "* ]]
	[ "$(line "out:" 2)" = 'out: others 0\n' ]
	[ "$(line "out:" 3)" = 'out: after\n' ]
	! grep -q "exec fail" <<< "$output"
}

@test "a daemonized grandchild is killed when the program exits" {
	run probe <<'EOF'
open 64m 64
exec -- t daemon
exec -- t ps
close
EOF
	echo "$output"
	[ "$(val code "$(line "exec " 1)")" = 0 ]
	[ "$(line "out:" 1)" = 'out: parent exits\n' ]
	[ "$(line "out:" 2)" = 'out: others 0\n' ]
}

@test "filling the disk stops at RLIMIT_FSIZE or the tmpfs size, and /tmp is emptied" {
	run probe <<'EOF'
open 64m 64
exec fsize=5000 -- t fill big
exec fsize=100000000 -- t fill /tmp/big
exec -- t ls /tmp
close
EOF
	echo "$output"
	[ "$(line "out:" 1)" = 'out: stopped 5000 File too large\n' ]
	[[ "$(line "out:" 2)" == "out: stopped "*" No space left on device"* ]]
	[ "$(line "out:" 3)" = 'out: count 0\n' ]
}

@test "each run gets a fresh empty directory; nothing it leaves is seen by the next" {
	run probe <<'EOF'
open 64m 64
put prog/x 755 hello
exec -- t write f1
exec -- t ls
exec -- t write ../../leak
exec -- t ls /box
exec -- t cwd
exec -- t cwd
close
EOF
	echo "$output"
	[ "$(line "out:" 2)" = 'out: count 0\n' ]
	[ "$(line "out:" 4)" = 'out: .run,prog,count 2\n' ] || [ "$(line "out:" 4)" = 'out: prog,.run,count 2\n' ]
	[ "$(line "out:" 5)" != "$(line "out:" 6)" ]
}

@test "files go in and come back out; bad paths and oversized fetches are refused" {
	run probe <<'EOF'
open 64m 64
put prog/x 755 hello
put ../escape 644 no
put /abs 644 no
exec cwd=prog -- t write out.txt result
fetch prog 100000 x out.txt
fetch prog 3 x
fetch prog 100 missing
exec in=abc -- t cat
fetch prog 100000 x
exec -- t echo still
close
EOF
	echo "$output"
	[ "$(line "put " 1)" = "put ok" ]
	[[ "$(line "put " 2)" == "put fail: "* ]]
	[[ "$(line "put " 3)" == "put fail: "* ]]
	[ "$(line "file " 1)" = "file x 755 5 hello" ]
	[ "$(line "file " 2)" = "file out.txt 644 6 result" ]
	[ "$(line "fetch ok")" = "fetch ok n=2" ]
	[[ "$(line "fetch fail" 1)" == *"more than 3 bytes"* ]]
	[[ "$(line "fetch fail" 2)" == *"missing"* ]]
	[ "$(line "out:" 2)" = 'out: abc' ]
	# A directory a program ran in by name (a build's) is gone before the next run.
	[[ "$(line "fetch fail" 3)" == *"prog"* ]]
	[ "$(line "out:" 3)" = 'out: still\n' ]
}

@test "the program cannot open scrc-box's stream through /proc/1" {
	run probe <<'EOF'
open 64m 64
exec -- t proc1
close
EOF
	echo "$output"
	[ "$(line "out:")" = 'out: open /proc/1/fd/1: Permission denied\n' ]
}

@test "a container killed under a run is an infrastructure failure, not a verdict" {
	( sleep 1.5; docker ps -q --filter "label=scrc.submission=$BOX_ID" | xargs -r docker kill \
		>/dev/null 2>&1 ) &
	run probe <<'EOF'
open 64m 64
exec wall=10000 -- t sleep 8000
exec -- t echo x
close
EOF
	wait
	echo "$output"
	[[ "$(line "exec fail" 1)" == *"stream ended"* ]]
	[[ "$(line "exec fail" 2)" == *"broken"* ]]
	gone_soon docker ps -aq --filter "label=scrc.submission=$BOX_ID"
}

@test "per-run overhead of a trivial program stays far under 60 ms (p50)" {
	run probe <<'EOF'
open 64m 64
bench 100 -- t exit 0
close
EOF
	echo "$output"
	local b
	b=$(line "bench ")
	[ -n "$b" ]
	echo "# box open: $(val ms "$(line "open ok")") ms, overhead p50 $(val p50 "$b") ms," \
		"p95 $(val p95 "$b") ms, mean round trip $(val mean_us "$b") us," \
		"close $(val ms "$(line "close ")") ms" >&3
	[ "$(val p50 "$b")" -le 60 ]
}

@test "docker_cleanup removes leftover containers of a submission" {
	docker create --label scrc=1 --label "scrc.submission=$BOX_ID-left" --network none \
		"$BOX_IMAGE" /bin/t >/dev/null
	docker create --label scrc=1 --label "scrc.submission=$BOX_ID-left" --network none \
		"$BOX_IMAGE" /bin/t >/dev/null
	run probe <<EOF
cleanup $BOX_ID-left
EOF
	echo "$output"
	[ "$output" = "cleanup 2" ]
	gone_soon docker ps -aq --filter "label=scrc.submission=$BOX_ID-left"
}

@test "no container of this suite is left behind" {
	gone_soon docker ps -aq --filter "label=scrc.submission=$BOX_ID"
	gone_soon docker ps -aq --filter label=scrc=1 --filter name=scrc-boxvol-
}
