/*
 * test_docker.c - the pieces of the execution engine that need no Docker
 * daemon: boxproto framing (headers, fields, paths, numbers), EXEC/RESULT/
 * FILE payloads, container names, the `docker run` argv with every
 * sandbox flag, and docker_cmd_run/docker_cleanup driven through stand-in
 * CLIs (/bin/sh scripts) to check capture, input, exit status and deadlines.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "boxproto.h"
#include "docker.h"
#include "util.h"

static void
test_header_round_trip(void **state)
{
	static const struct {
		const char	*tag;
		uint64_t	 len;
	} rows[] = {
		{ "PUT", 0 }, { "IN", 1 }, { "EXEC", 10 }, { "FETCH", 65536 },
		{ "RESULT", 123456789 }, { "ABCDEFGH", BOXPROTO_PAYLOAD_MAX }, { "Q", 9 },
	};
	char h[BOXPROTO_HEADER_MAX + 8], tag[BOXPROTO_TAG_MAX + 1];
	uint64_t len;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof *rows; i++) {
		n = boxproto_header(h, BOXPROTO_HEADER_MAX, rows[i].tag, rows[i].len);
		assert_true(n > 0);
		/* Trailing payload bytes must not confuse the parser. */
		memcpy(h + n, "xyz\n", 4);
		assert_int_equal(boxproto_parse_header(h, (size_t)n + 4, tag, &len), n);
		assert_string_equal(tag, rows[i].tag);
		assert_true(len == rows[i].len);
		/* Every proper prefix is incomplete, never malformed. */
		assert_int_equal(boxproto_parse_header(h, (size_t)n - 1, tag, &len), 0);
	}
}

static void
test_header_bad(void **state)
{
	static const struct {
		const char	*text;
		int		 want;	/* -1 malformed, 0 incomplete */
	} rows[] = {
		{ "put 1\n", -1 },
		{ "PUT\n", -1 },
		{ "PUT 01\n", -1 },
		{ "PUT 00\n", -1 },
		{ "PUT -1\n", -1 },
		{ "PUT +1\n", -1 },
		{ "PUT 1 \n", -1 },
		{ "PUT  1\n", -1 },
		{ "PUT 1\r\n", -1 },
		{ " PUT 1\n", -1 },
		{ "\nPUT 1\n", -1 },
		{ "ABCDEFGHI 1\n", -1 },
		{ "PUT 1073741825\n", -1 },
		{ "PUT 99999999999999999999999999\n", -1 },
		{ "PUT 1x\n", -1 },
		{ "P\0T 1\n", -1 },
		{ "PUT 12", 0 },
		{ "PUT ", 0 },
		{ "PU", 0 },
		{ "", 0 },
	};
	char tag[BOXPROTO_TAG_MAX + 1], h[BOXPROTO_HEADER_MAX];
	uint64_t len = 77;
	volatile size_t small;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof *rows; i++) {
		n = strlen(rows[i].text);
		if (strcmp(rows[i].text, "P") == 0)
			n = 6;	/* the row with an embedded NUL */
		assert_int_equal(boxproto_parse_header(rows[i].text, n, tag, &len), rows[i].want);
	}
	/* 32 bytes without a newline can never become a header. */
	memset(h, '1', sizeof h);
	memcpy(h, "PUT ", 4);
	assert_int_equal(boxproto_parse_header(h, sizeof h, tag, &len), -1);

	assert_int_equal(boxproto_header(h, sizeof h, "", 1), -1);
	assert_int_equal(boxproto_header(h, sizeof h, "put", 1), -1);
	assert_int_equal(boxproto_header(h, sizeof h, "ABCDEFGHI", 1), -1);
	assert_int_equal(boxproto_header(h, sizeof h, "PUT", BOXPROTO_PAYLOAD_MAX + 1), -1);
	/* Too small an output buffer; volatile keeps the compiler from flagging it. */
	small = 4;
	assert_int_equal(boxproto_header(h, small, "PUT", 100), -1);
}

static void
test_path_ok(void **state)
{
	static const struct {
		const char	*path;
		int		 ok;
	} rows[] = {
		{ "a", 1 }, { "a/b/c.txt", 1 }, { ".hidden", 1 }, { "a/..b", 1 }, { "...", 1 },
		{ "", 0 }, { "/", 0 }, { "/etc/passwd", 0 }, { "..", 0 }, { "../x", 0 },
		{ "a/../b", 0 }, { "a/..", 0 }, { ".", 0 }, { "./a", 0 }, { "a/./b", 0 },
		{ "a//b", 0 }, { "a/", 0 },
	};
	char longp[BOXPROTO_PATH_MAX + 2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof *rows; i++)
		assert_int_equal(boxproto_path_ok(rows[i].path), rows[i].ok);
	memset(longp, 'a', sizeof longp - 1);
	longp[sizeof longp - 1] = '\0';
	assert_int_equal(boxproto_path_ok(longp), 0);
	longp[BOXPROTO_PATH_MAX] = '\0';
	assert_int_equal(boxproto_path_ok(longp), 1);
}

static void
test_numbers(void **state)
{
	static const struct {
		const char	*s;
		int		 rc;
		uint64_t	 v;
	} u[] = {
		{ "0", 0, 0 }, { "42", 0, 42 },
		{ "18446744073709551606", 0, 18446744073709551606ULL },
		{ "", -1, 0 }, { "-1", -1, 0 }, { "1a", -1, 0 }, { " 1", -1, 0 },
		{ "99999999999999999999", -1, 0 },
	};
	static const struct {
		const char	*s;
		int		 rc;
		int		 v;
	} m[] = {
		{ "644", 0, 0644 }, { "7777", 0, 07777 }, { "0", 0, 0 }, { "8", -1, 0 },
		{ "17777", -1, 0 }, { "", -1, 0 }, { "64x", -1, 0 },
	};
	uint64_t v;
	size_t i;
	int mode;

	(void)state;
	for (i = 0; i < sizeof u / sizeof *u; i++) {
		assert_int_equal(boxproto_parse_u64(u[i].s, &v), u[i].rc);
		if (u[i].rc == 0)
			assert_true(v == u[i].v);
	}
	for (i = 0; i < sizeof m / sizeof *m; i++) {
		assert_int_equal(boxproto_parse_mode(m[i].s, &mode), m[i].rc);
		if (m[i].rc == 0)
			assert_int_equal(mode, m[i].v);
	}
}

static void
test_fields(void **state)
{
	static const char p[] = "a\0bc\0\0cpu_msx=9\0cpu_ms=5\0tail";
	const char *f;
	size_t pos = 0;

	(void)state;
	assert_int_equal(boxproto_next_field(p, sizeof p - 1, &pos, &f), 1);
	assert_string_equal(f, "a");
	assert_int_equal(boxproto_next_field(p, sizeof p - 1, &pos, &f), 2);
	assert_string_equal(f, "bc");
	assert_int_equal(boxproto_next_field(p, sizeof p - 1, &pos, &f), 0);
	assert_int_equal(boxproto_next_field(p, sizeof p - 1, &pos, &f), 9);
	assert_int_equal(boxproto_next_field(p, sizeof p - 1, &pos, &f), 8);
	/* "tail" has no terminator: not a field. */
	assert_int_equal(boxproto_next_field(p, sizeof p - 1, &pos, &f), -1);
	/* A key must match whole, not as a prefix of another key. */
	assert_string_equal(boxproto_kv(p, sizeof p - 1, "cpu_ms"), "5");
	assert_null(boxproto_kv(p, sizeof p - 1, "cpu"));
	assert_null(boxproto_kv(p, sizeof p - 1, "tail"));
}

static void
test_exec_encode(void **state)
{
	const char *argv[] = { "python3", "-c", "print(1)", NULL };
	const char *env[] = { "PATH=/usr/bin", "HOME=/tmp", NULL };
	const char *want[] = { "", "1000", "3000", "65536", "1048576", "83886080", "", "", "in",
		"3", "python3", "-c", "print(1)", "2", "PATH=/usr/bin", "HOME=/tmp" };
	struct docker_exec ex;
	struct buf b;
	const char *f;
	char err[256];
	size_t pos = 0, i;

	(void)state;
	memset(&ex, 0, sizeof ex);
	ex.argv = argv;
	ex.env = env;
	ex.input = "ignored";
	ex.input_len = 7;
	ex.cpu_ms = 1000;
	ex.wall_ms = 3000;
	ex.output_cap = 65536;
	ex.file_size = 1048576;
	ex.mem_limit = 80 << 20;
	buf_init(&b);
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), 0);
	for (i = 0; i < sizeof want / sizeof *want; i++) {
		assert_true(boxproto_next_field(b.data, b.len, &pos, &f) >= 0);
		assert_string_equal(f, want[i]);
	}
	/* Nothing after the environment: the input travels in IN frames. */
	assert_int_equal(pos, b.len);

	ex.cwd = "build";
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), 0);
	assert_string_equal(b.data, "build");

	/* An interactive run names both channels and which to open first. */
	ex.fifo_in = "to-prog";
	ex.fifo_out = "to-inter";
	ex.fifo_out_first = 1;
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), 0);
	for (pos = 0, i = 0; i < 9; i++)
		assert_true(boxproto_next_field(b.data, b.len, &pos, &f) >= 0);
	assert_string_equal(b.data + pos - strlen("out") - 1, "out");
	ex.fifo_out = NULL;
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), -1);
	ex.fifo_out = "../x";
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), -1);
	ex.fifo_in = ex.fifo_out = NULL;
	ex.fifo_out_first = 0;

	/* Requests scrc-box would have to refuse are refused here already. */
	ex.cwd = "../x";
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), -1);
	ex.cwd = "/abs";
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), -1);
	ex.cwd = ".";
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), 0);
	ex.wall_ms = 0;
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), -1);
	ex.wall_ms = 1;
	ex.cpu_ms = -1;
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), -1);
	ex.cpu_ms = 1;
	ex.argv = NULL;
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), -1);
	argv[0] = "";
	ex.argv = argv;
	assert_int_equal(docker_exec_encode(&ex, &b, err, sizeof err), -1);
	buf_free(&b);
}

/* Builds a RESULT payload from "k=v;k=v" (';' becomes NUL, one at the end). */
static size_t
result_payload(const char *spec, char *out, size_t size)
{
	size_t n = strlen(spec), i;

	assert_true(n + 1 < size);
	for (i = 0; i < n; i++)
		out[i] = spec[i] == ';' ? '\0' : spec[i];
	out[n] = '\0';
	return n + 1;
}

#define RESULT_OK_EXIT "exited=1;code=3;signal=0;cpu_ms=12;wall_ms=15;memory=4096;oom=0;" \
	"cpu_hit=0;wall_hit=0;output_hit=1;mem_hit=1;clean=0;stopped=1"

static void
test_result_decode(void **state)
{
	static const char *bad[] = {
		"exited=1;code=0;signal=0;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0",
		"exited=1;code=0;signal=0;cpu_ms=x;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0",
		"exited=1;code=0;signal=9;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0",
		"exited=0;code=0;signal=0;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0",
		"exited=0;code=1;signal=9;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0",
		"exited=1;code=256;signal=0;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0",
		"exited=2;code=0;signal=0;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0",
		"exited=1;code=0;signal=0;cpu_ms=1;wall_ms=1;memory=1;oom=2;cpu_hit=0;wall_hit=0;"
		    "output_hit=0",
		"exited=1;code=0;signal=0;cpu_ms=-1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0",
		/* an older box: no mem_hit, no clean */
		"exited=1;code=0;signal=0;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0",
		"exited=1;code=0;signal=0;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0;mem_hit=0;clean=2;stopped=0",
		/* a box of protocol 2: no stopped */
		"exited=1;code=0;signal=0;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0;mem_hit=0;clean=1",
		"exited=1;code=0;signal=0;cpu_ms=1;wall_ms=1;memory=1;oom=0;cpu_hit=0;wall_hit=0;"
		    "output_hit=0;mem_hit=0;clean=1;stopped=2",
		"",
	};
	struct docker_exec_result r;
	char p[512];
	size_t n, i;

	(void)state;
	memset(&r, 0, sizeof r);
	n = result_payload(RESULT_OK_EXIT, p, sizeof p);
	assert_int_equal(docker_result_decode(p, n, &r), 0);
	assert_int_equal(r.exited, 1);
	assert_int_equal(r.exit_code, 3);
	assert_int_equal(r.signal, 0);
	assert_int_equal(r.cpu_ms, 12);
	assert_int_equal(r.wall_ms, 15);
	assert_int_equal(r.memory_bytes, 4096);
	assert_int_equal(r.output_limit_hit, 1);
	assert_int_equal(r.cpu_limit_hit, 0);
	assert_int_equal(r.mem_limit_hit, 1);
	assert_int_equal(r.dirty, 1);
	assert_int_equal(r.stopped, 1);
	/* Without its final NUL the last field is not a field. */
	assert_int_equal(docker_result_decode(p, n - 1, &r), -1);

	n = result_payload("exited=0;code=0;signal=9;cpu_ms=1000;wall_ms=1003;memory=1;oom=1;"
	    "cpu_hit=1;wall_hit=0;output_hit=0;mem_hit=0;clean=1;stopped=0", p, sizeof p);
	assert_int_equal(docker_result_decode(p, n, &r), 0);
	assert_int_equal(r.dirty, 0);
	assert_int_equal(r.mem_limit_hit, 0);
	assert_int_equal(r.exited, 0);
	assert_int_equal(r.signal, 9);
	assert_int_equal(r.oom_killed, 1);
	assert_int_equal(r.cpu_limit_hit, 1);

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		n = result_payload(bad[i], p, sizeof p);
		assert_int_equal(docker_result_decode(p, n, &r), -1);
	}
}

static void
test_file_decode(void **state)
{
	static const char good[] = "dir/a.out\0" "755\0" "\x7f" "ELF\0\1\2";
	static const struct {
		const char	*p;
		size_t		 len;
	} bad[] = {
		{ "../x\0" "644\0" "data", 13 },
		{ "/etc/x\0" "644\0" "data", 15 },
		{ "x\0" "999\0" "data", 10 },
		{ "x\0" "644", 5 },
		{ "x", 1 },
		{ "", 0 },
	};
	struct docker_file f;
	size_t i;

	(void)state;
	assert_int_equal(docker_file_decode(good, sizeof good - 1, &f), 0);
	assert_string_equal(f.path, "dir/a.out");
	assert_int_equal(f.mode, 0755);
	assert_int_equal(f.len, 7);
	assert_memory_equal(f.data, "\x7f" "ELF\0\1\2", 7);
	free(f.path);
	free(f.data);
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(docker_file_decode(bad[i].p, bad[i].len, &f), -1);
}

/* A spec's key names its sandbox, not its submission, and parses back. */
static void
test_spec_key(void **state)
{
	struct docker_box_spec s, t;
	char *k, *k2, *copy;
	static const char *const bad[] = {
		"", "k1", "k2|i|/box|/b|1|2|3|4|5", "k1|i|/box|/b|1|2|3|4",
		"k1|i|/box|/b|1|2|3|4|5|6", "k1||/box|/b|1|2|3|4|5", "k1|i|/box|/b|-1|2|3|4|5",
		"k1|i|/box|/b|1|2|3|4|x", "k1|i|/box|/b|1|2|3|4|", "k1|i|/box|/b|1|2|3|4|99999999999999999999",
	};
	size_t i;

	(void)state;
	memset(&s, 0, sizeof s);
	s.image = "scrc/python:bookworm";
	s.submission_id = "sub-1";
	s.role = "run";
	s.workdir = "/box";
	s.box_path = "/usr/lib/scrc/scrc-box";
	s.memory_bytes = 300 << 20;
	s.workdir_bytes = 80 << 20;
	s.pids_limit = 64;
	s.cpus = 1.5;
	s.uid = 12345;
	s.allowance = 256 << 20;
	k = docker_spec_key(&s);
	assert_non_null(k);
	assert_null(strstr(k, "sub-1"));
	assert_null(strstr(k, "12345"));
	/* Another submission, role or uid: the same box. */
	s.submission_id = "sub-2";
	s.role = "build";
	s.uid = 7;
	k2 = docker_spec_key(&s);
	assert_string_equal(k, k2);
	free(k2);
	copy = strdup(k);
	assert_int_equal(docker_spec_parse(copy, &t), 0);
	assert_string_equal(t.image, s.image);
	assert_string_equal(t.workdir, s.workdir);
	assert_string_equal(t.box_path, s.box_path);
	assert_int_equal(t.memory_bytes, s.memory_bytes);
	assert_int_equal(t.workdir_bytes, s.workdir_bytes);
	assert_int_equal(t.pids_limit, s.pids_limit);
	assert_true(t.cpus > 1.499 && t.cpus < 1.501);
	assert_int_equal(t.allowance, s.allowance);
	assert_null(t.submission_id);
	assert_null(t.ipc_volume);
	k2 = docker_spec_key(&t);
	assert_string_equal(k, k2);
	free(k2);
	free(copy);
	/* Any size differs: another box. */
	s.memory_bytes++;
	k2 = docker_spec_key(&s);
	assert_string_not_equal(k, k2);
	free(k2);
	/* No key for what cannot be started ahead or carried on one line. */
	s.ipc_volume = "scrc-ipc-x";
	assert_null(docker_spec_key(&s));
	s.ipc_volume = NULL;
	s.image = "a|b";
	assert_null(docker_spec_key(&s));
	s.image = "a\nb";
	assert_null(docker_spec_key(&s));
	s.image = NULL;
	assert_null(docker_spec_key(&s));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		copy = strdup(bad[i]);
		assert_int_equal(docker_spec_parse(copy, &t), -1);
		free(copy);
	}
	free(k);
}

static void
test_box_name(void **state)
{
	static const struct {
		const char	*id;
		const char	*role;
		uint32_t	 rnd;
		const char	*want;
	} rows[] = {
		{ "abc-123", "run", 0xdeadbeef, "scrc-abc-123-run-deadbeef" },
		{ "a/b c;$(rm -rf)", "build", 1, "scrc-a_b_c___rm_-rf_-build-00000001" },
		{ "", "", 0, "scrc-x-x-00000000" },
		{ NULL, "run", 0x10, "scrc-x-run-00000010" },
		{ "\xc3\x9cn\xc3\xaf", "run", 0, "scrc-__n__-run-00000000" },
		{ "v1.2_x", "run", 0, "scrc-v1.2_x-run-00000000" },
	};
	char name[160], longid[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof *rows; i++) {
		assert_int_equal(docker_box_name(name, sizeof name, rows[i].id, rows[i].role,
		    rows[i].rnd), 0);
		assert_string_equal(name, rows[i].want);
	}
	memset(longid, 'q', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	assert_int_equal(docker_box_name(name, sizeof name, longid, "run", 2), 0);
	assert_int_equal(strlen(name), strlen("scrc-") + 64 + strlen("-run-00000002"));
	assert_int_equal(docker_box_name(name, 10, "abc", "run", 2), -1);
}

/* The index of the first args[i] == a with args[i + 1] == b, or -1. */
static int
find_pair(char **args, const char *a, const char *b)
{
	int i;

	for (i = 0; args[i] != NULL && args[i + 1] != NULL; i++) {
		if (strcmp(args[i], a) == 0 && (b == NULL || strcmp(args[i + 1], b) == 0))
			return i;
	}
	return -1;
}

static void
test_box_args(void **state)
{
	static const char *pairs[][2] = {
		{ "run", "-i" },
		{ "-i", "--rm" },
		{ "--name", "scrc-s1-run-00000001" },
		{ "--label", "scrc=1" },
		{ "--label", "scrc.submission=s1" },
		{ "--label", "scrc.role=run" },
		{ "--network", "none" },
		{ "--label", "scrc.uid=2000000123" },
		{ "--user", "0:0" },
		{ "--cap-drop", "ALL" },
		{ "--cap-add", "SETUID" },
		{ "--cap-add", "SETGID" },
		{ "--cap-add", "CHOWN" },
		{ "--cap-add", "KILL" },
		{ "--security-opt", "no-new-privileges" },
		{ "--pids-limit", "64" },
		{ "--memory", "67108864" },
		{ "--memory-swap", "67108864" },
		{ "--cpus", "1.500" },
		{ "--tmpfs", "/box:rw,exec,nosuid,nodev,size=16777216,nr_inodes=8192,mode=0755" },
		{ "--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=16777216,nr_inodes=8192,mode=1777" },
		{ "--tmpfs",
		  "/dev/shm:rw,nosuid,nodev,noexec,size=16777216,nr_inodes=8192,mode=1777" },
		{ "--mount", "type=volume,src=scrc-box-0123,dst=/.scrc,ro" },
		{ "--ulimit", "nofile=256:256" },
		{ "--entrypoint", "/.scrc/scrc-box" },
		{ "scrc/python:bookworm", "/box" },
		{ "/box", "2000000123" },
	};
	struct docker_box_spec spec;
	char **args, err[256];
	size_t i, n;

	(void)state;
	memset(&spec, 0, sizeof spec);
	spec.image = "scrc/python:bookworm";
	spec.submission_id = "s1";
	spec.role = "run";
	spec.workdir = "/box";
	spec.memory_bytes = 64 << 20;
	spec.workdir_bytes = 16 << 20;
	spec.pids_limit = 64;
	spec.cpus = 1.5;
	spec.uid = 2000000123;
	docker_set_flavour(DOCKER_FLAVOUR_DOCKER);
	args = docker_box_args(&spec, "scrc-s1-run-00000001", "scrc-box-0123", err,
	    sizeof err);
	assert_non_null(args);
	assert_string_equal(args[0], "run");
	for (i = 0; i < sizeof pairs / sizeof *pairs; i++) {
		if (find_pair(args, pairs[i][0], pairs[i][1]) < 0)
			fail_msg("missing %s %s", pairs[i][0], pairs[i][1]);
	}
	assert_true(find_pair(args, "--read-only", NULL) >= 0);
	/* The image, the workdir and the uid come last: nothing can follow as a flag. */
	for (n = 0; args[n] != NULL; n++)
		;
	assert_string_equal(args[n - 3], "scrc/python:bookworm");
	assert_string_equal(args[n - 2], "/box");
	assert_string_equal(args[n - 1], "2000000123");
	assert_true(find_pair(args, "--privileged", NULL) < 0);
	/* Without a seccomp file set, the engine's default; with one, ours. */
	assert_true(find_pair(args, "--security-opt", "seccomp=/x/seccomp.json") < 0);
	docker_args_free(args);
	docker_set_seccomp("/x/seccomp.json");
	args = docker_box_args(&spec, "n", "v", err, sizeof err);
	assert_non_null(args);
	assert_true(find_pair(args, "--security-opt", "seccomp=/x/seccomp.json") >= 0);
	docker_set_seccomp(NULL);
	docker_args_free(args);
	/* Only these capabilities, and never one the programs could use against us. */
	args = docker_box_args(&spec, "n", "v", err, sizeof err);
	assert_non_null(args);
	for (i = 0; args[i] != NULL; i++)
		if (strcmp(args[i], "--cap-add") == 0)
			assert_non_null(strstr("SETUID SETGID CHOWN KILL", args[i + 1]));
	docker_args_free(args);

	spec.cpus = 0;
	args = docker_box_args(&spec, "n", "v", err, sizeof err);
	assert_non_null(args);
	assert_true(find_pair(args, "--cpus", NULL) < 0);
	/* docker: no process rlimit of ours, the pids limit does it. */
	for (i = 0; args[i] != NULL; i++)
		assert_null(strstr(args[i], "nproc="));
	docker_args_free(args);

	/* podman: no nr_inodes (refused by 4.3), a process rlimit it can set. */
	docker_set_flavour(DOCKER_FLAVOUR_PODMAN);
	args = docker_box_args(&spec, "n", "v", err, sizeof err);
	assert_non_null(args);
	assert_true(find_pair(args, "--tmpfs", "/box:rw,exec,nosuid,nodev,size=16777216,mode=0755")
	    >= 0);
	assert_true(find_pair(args, "--tmpfs", "/tmp:rw,exec,nosuid,nodev,size=16777216,mode=1777")
	    >= 0);
	assert_true(find_pair(args, "--ulimit", "nproc=128:128") >= 0);
	assert_true(find_pair(args, "--ulimit", "nofile=256:256") >= 0);
	assert_true(find_pair(args, "--mount", "type=volume,src=v,dst=/.scrc,ro") >= 0);
	for (i = 0; args[i] != NULL; i++)
		assert_null(strstr(args[i], "nr_inodes"));
	docker_args_free(args);
	docker_set_flavour(DOCKER_FLAVOUR_DOCKER);
}

/* With a channel: detached, the socket's dir mounted, the token by name only. */
static void
test_box_args_channel(void **state)
{
	struct docker_box_spec spec;
	char **args, err[256];
	size_t i;

	(void)state;
	memset(&spec, 0, sizeof spec);
	spec.image = "img";
	spec.submission_id = "s";
	spec.role = "run";
	spec.workdir = "/box";
	spec.memory_bytes = 1 << 20;
	spec.workdir_bytes = 1 << 20;
	spec.pids_limit = 8;
	spec.uid = 2000000000;
	spec.chan_dir = "/tmp/scrc-sockets-0/x-1-AbCdEf";
	docker_set_flavour(DOCKER_FLAVOUR_DOCKER);
	args = docker_box_args(&spec, "n", "v", err, sizeof err);
	assert_non_null(args);
	assert_string_equal(args[0], "run");
	assert_string_equal(args[1], "-d");
	assert_true(find_pair(args, "--rm", NULL) >= 0);
	assert_true(find_pair(args, "-i", NULL) < 0);
	assert_true(find_pair(args, "--mount",
	    "type=bind,src=/tmp/scrc-sockets-0/x-1-AbCdEf,dst=/.scrc-ctl") >= 0);
	assert_true(find_pair(args, "--env", "SCRC_BOX_SOCKET=/.scrc-ctl/s") >= 0);
	/* Named, its value from the CLI's environment: never on a command line. */
	assert_true(find_pair(args, "--env", "SCRC_BOX_TOKEN") >= 0);
	for (i = 0; args[i] != NULL; i++)
		assert_null(strstr(args[i], "SCRC_BOX_TOKEN="));
	docker_args_free(args);
	docker_set_flavour(DOCKER_FLAVOUR_PODMAN);
	args = docker_box_args(&spec, "n", "v", err, sizeof err);
	assert_non_null(args);
	assert_string_equal(args[0], "create");
	assert_true(find_pair(args, "-i", NULL) < 0);
	docker_args_free(args);
	docker_set_flavour(DOCKER_FLAVOUR_DOCKER);
	/* A path that would change the --mount spec's meaning. */
	spec.chan_dir = "/tmp/a,dst=/etc";
	assert_null(docker_box_args(&spec, "n", "v", err, sizeof err));
	spec.chan_dir = "rel";
	assert_null(docker_box_args(&spec, "n", "v", err, sizeof err));
}

static void
test_box_args_bad(void **state)
{
	static const struct {
		const char	*image;
		const char	*workdir;
		int64_t		 memory;
		int64_t		 pids;
		const char	*id;
	} rows[] = {
		{ "-v", "/box", 1 << 20, 8, "s" },
		{ "", "/box", 1 << 20, 8, "s" },
		{ NULL, "/box", 1 << 20, 8, "s" },
		{ "img", "box", 1 << 20, 8, "s" },
		{ "img", "/box,uid=0", 1 << 20, 8, "s" },
		{ "img", "/box:ro", 1 << 20, 8, "s" },
		{ "img", "/", 1 << 20, 8, "s" },
		{ "img", "/tmp", 1 << 20, 8, "s" },
		{ "img", "/.scrc", 1 << 20, 8, "s" },
		{ "img", NULL, 1 << 20, 8, "s" },
		{ "img", "/box", 0, 8, "s" },
		{ "img", "/box", 1 << 20, 0, "s" },
		{ "img", "/box", 1 << 20, 8, NULL },
	};
	struct docker_box_spec spec;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof *rows; i++) {
		memset(&spec, 0, sizeof spec);
		spec.image = rows[i].image;
		spec.workdir = rows[i].workdir;
		spec.memory_bytes = rows[i].memory;
		spec.workdir_bytes = 1 << 20;
		spec.pids_limit = rows[i].pids;
		spec.submission_id = rows[i].id;
		spec.role = "run";
		spec.uid = 2000000000;
		err[0] = '\0';
		assert_null(docker_box_args(&spec, "n", "v", err, sizeof err));
		assert_true(err[0] != '\0');
	}
	/* Programs never run as root (uid 0 would be scrc-box's own). */
	spec.image = "img";
	spec.workdir = "/box";
	spec.memory_bytes = 1 << 20;
	spec.pids_limit = 8;
	spec.submission_id = "s";
	spec.uid = 0;
	assert_null(docker_box_args(&spec, "n", "v", err, sizeof err));
	assert_non_null(strstr(err, "uid"));
}

static void
test_cmd_run_capture(void **state)
{
	const char *args[] = { "-c", "printf 'o1\\0o2'; echo e1 >&2; exit 3", NULL };
	struct docker_cmd res;
	char err[256];

	(void)state;
	docker_set_cli("/bin/sh");
	assert_int_equal(docker_cmd_run(args, NULL, 0, 5000, &res, err, sizeof err), 0);
	assert_int_equal(res.status, 3);
	assert_int_equal(res.timed_out, 0);
	assert_int_equal(res.out.len, 5);
	assert_memory_equal(res.out.data, "o1\0o2", 5);
	assert_string_equal(res.err.data, "e1\n");
	docker_cmd_free(&res);

	/* Killed by a signal: no exit status. */
	args[1] = "kill -9 $$";
	assert_int_equal(docker_cmd_run(args, NULL, 0, 5000, &res, err, sizeof err), 0);
	assert_int_equal(res.status, -1);
	docker_cmd_free(&res);
	docker_set_cli(NULL);
}

static void
test_cmd_run_input(void **state)
{
	const char *args[] = { NULL };
	struct docker_cmd res;
	char err[256], *big;
	size_t n = 300000, i;

	(void)state;
	docker_set_cli("/bin/cat");
	assert_int_equal(docker_cmd_run(args, "in\0put", 6, 5000, &res, err, sizeof err), 0);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.out.len, 6);
	assert_memory_equal(res.out.data, "in\0put", 6);
	docker_cmd_free(&res);

	/* More than a pipe holds, in both directions at once. */
	big = xmalloc(n);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	assert_int_equal(docker_cmd_run(args, big, n, 10000, &res, err, sizeof err), 0);
	assert_int_equal(res.out.len, n);
	assert_memory_equal(res.out.data, big, n);
	docker_cmd_free(&res);
	free(big);

	/* No input: stdin is /dev/null, so cat ends at once. */
	assert_int_equal(docker_cmd_run(args, NULL, 0, 5000, &res, err, sizeof err), 0);
	assert_int_equal(res.status, 0);
	assert_int_equal(res.out.len, 0);
	docker_cmd_free(&res);
	docker_set_cli(NULL);
}

static void
test_cmd_run_deadline(void **state)
{
	const char *args[] = { "-c", "sleep 30", NULL };
	struct docker_cmd res;
	char err[256];
	int64_t t0;

	(void)state;
	docker_set_cli("/bin/sh");
	t0 = util_now_ms();
	assert_int_equal(docker_cmd_run(args, NULL, 0, 300, &res, err, sizeof err), -1);
	assert_true(util_now_ms() - t0 < 3000);
	assert_int_equal(res.timed_out, 1);
	assert_non_null(strstr(err, "timed out"));
	assert_non_null(strstr(err, "sleep 30"));
	docker_cmd_free(&res);

	/* A CLI that cannot be executed is a failed command, not a crash. */
	docker_set_cli("/nonexistent/docker");
	args[0] = "version";
	args[1] = NULL;
	assert_int_equal(docker_cmd_run(args, NULL, 0, 5000, &res, err, sizeof err), 0);
	assert_true(res.status != 0);
	docker_cmd_free(&res);
	assert_int_equal(docker_ping(5000, err, sizeof err), -1);
	docker_set_cli("/bin/true");
	assert_int_equal(docker_ping(5000, err, sizeof err), 0);
	docker_set_cli(NULL);
}

/*
 * A stand-in CLI: says which kind it is, `ps` lists two ids, `inspect`
 * gives their owners, `rm` succeeds; every call is logged. Returns the
 * log after fn ran with it.
 */
static void
with_stub_cli(const char *version, void (*fn)(void), char *got, size_t size)
{
	char dir[] = "/tmp/scrc-test-docker-XXXXXX", cli[128], log[128], script[1024];
	FILE *f;
	size_t n;

	assert_non_null(mkdtemp(dir));
	snprintf(cli, sizeof cli, "%s/docker", dir);
	snprintf(log, sizeof log, "%s/log", dir);
	snprintf(script, sizeof script,
	    "#!/bin/sh\n"
	    "echo \"$*\" >> %s\n"
	    "case \"$1\" in\n"
	    "--version) echo '%s';;\n"
	    "ps) printf 'aaa\\nbbb\\n';;\n"
	    "inspect) echo 'aaa nowhere/1'; echo 'bbb nowhere/2';;\n"
	    "rm) exit 0;;\n"
	    "*) exit 1;;\n"
	    "esac\n", log, version);
	f = fopen(cli, "w");
	assert_non_null(f);
	fputs(script, f);
	fclose(f);
	chmod(cli, 0755);
	docker_set_cli(cli);
	fn();
	f = fopen(log, "r");
	assert_non_null(f);
	n = fread(got, 1, size - 1, f);
	got[n] = '\0';
	fclose(f);
	docker_set_cli(NULL);
	unlink(cli);
	unlink(log);
	rmdir(dir);
}

static void
cleanup_sub7(void)
{
	char err[256];

	assert_int_equal(docker_cleanup("sub-7", err, sizeof err), 2);
}

static void
cleanup_orphans(void)
{
	char err[256];

	/* Both owners are of another host: nothing is removed. */
	assert_int_equal(docker_cleanup_orphans(err, sizeof err), 0);
}

static void
test_cleanup(void **state)
{
	char got[1024];

	(void)state;
	with_stub_cli("Docker version 28.2.2, build e6534b4", cleanup_sub7, got, sizeof got);
	/* The kind is asked once, when a command line depends on it. */
	assert_string_equal(got,
	    "ps -aq --no-trunc --filter label=scrc=1 --filter label=scrc.submission=sub-7\n"
	    "--version\n"
	    "rm -f aaa bbb\n");
	/* podman waits 10 s for a running container unless told -t 0. */
	with_stub_cli("podman version 4.3.1", cleanup_sub7, got, sizeof got);
	assert_string_equal(got,
	    "ps -aq --no-trunc --filter label=scrc=1 --filter label=scrc.submission=sub-7\n"
	    "--version\n"
	    "rm -f -t 0 aaa bbb\n");
	/* The owners come from inspect: podman's ps cannot print a label. */
	with_stub_cli("podman version 4.3.1", cleanup_orphans, got, sizeof got);
	assert_string_equal(got,
	    "ps -aq --no-trunc --filter label=scrc=1\n"
	    "inspect -f {{.Id}} {{index .Config.Labels \"scrc.owner\"}} aaa bbb\n"
	    "volume ls -q --filter label=scrc.ipc=1\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_round_trip),
		cmocka_unit_test(test_header_bad),
		cmocka_unit_test(test_path_ok),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_exec_encode),
		cmocka_unit_test(test_result_decode),
		cmocka_unit_test(test_file_decode),
		cmocka_unit_test(test_spec_key),
		cmocka_unit_test(test_box_name),
		cmocka_unit_test(test_box_args),
		cmocka_unit_test(test_box_args_channel),
		cmocka_unit_test(test_box_args_bad),
		cmocka_unit_test(test_cmd_run_capture),
		cmocka_unit_test(test_cmd_run_input),
		cmocka_unit_test(test_cmd_run_deadline),
		cmocka_unit_test(test_cleanup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
