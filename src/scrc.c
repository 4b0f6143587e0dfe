/*
 * scrc.c - entry point. Loads the configuration, then either judges one
 * submission (`scrc run`), runs the Kafka worker (`scrc worker`, the
 * default), or validates and prints the configuration (--check-config).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "chan.h"
#include "cligate.h"
#include "conf.h"
#include "docker.h"
#include "uidpool.h"
#include "judge.h"
#include "lang.h"
#include "logjson.h"
#include "request.h"
#include "result.h"
#include "util.h"
#include "warm.h"
#include "progcache.h"
#include "selftest.h"
#include "tally.h"
#include "worker.h"

#define SCRC_MAX_RECORD	(256LL * 1024 * 1024)
#define SCRC_EXIT_TEMPFAIL	EX_TEMPFAIL	/* 75: infrastructure failed, try again */
#define LANG_DIR_HINT	"SCRC_LANG_DIR or --lang-dir to the directory of *.lang profiles, " \
	"e.g. a source tree's lang/"

static void	check_lang_dir(void);

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: scrc [OPTIONS] [worker]\n"
	    "       scrc [OPTIONS] run FILE|-\n"
	    "       scrc [OPTIONS] run --lang LANG SOURCE [--test IN:OUT]... [--checker C]\n"
	    "                [--checker-program FILE] [--interactor FILE] [--json]\n"
	    "       scrc [OPTIONS] --check-config | --cleanup | --list-languages\n"
	    "       scrc [OPTIONS] --self-test [LANG...]\n"
	    "\n"
	    "worker   consume submissions from Kafka, judge them, publish results (default)\n"
	    "run      judge one submission record (PROTOCOL.md) and print its result record\n"
	    "         as one JSON line; or judge a source file against test files and print\n"
	    "         a table\n"
	    "\n"
	    "Options (each also read from the environment variable shown; flags win):\n");
	conf_usage(f);
	fprintf(f,
	    "  %-24s %-24s %s\n"
	    "  %-24s %-24s %s\n"
	    "  %-24s %-24s %s\n"
	    "  %-24s %-24s %s\n"
	    "  %-24s %-24s %s\n"
	    "  %-24s %-24s %s\n",
	    "--check-config", "", "validate configuration and profiles, print them, exit",
	    "--list-languages", "", "profiles, aliases, toolchain versions, images and sizes",
	    "--self-test", "[LANG...]", "judge every profile's (or those named) self-test program",
	    "--cleanup", "", "remove containers left by judges that died, exit",
	    "--help", "", "this text",
	    "--version", "", "print the version");
}

static struct lang_set *
load_langs(void)
{
	struct lang_set *langs;
	char err[1024];

	check_lang_dir();
	langs = lang_load_dir(conf.lang_dir, err, sizeof err);
	if (langs == NULL)
		fatal("language profiles: %s (the directory is SCRC_LANG_DIR or --lang-dir)",
		    err);
	if (lang_set_count(langs) == 0)
		fatal("no language profiles in %s (set " LANG_DIR_HINT ")", conf.lang_dir);
	return langs;
}

/*
 * A missing profile directory is a setup problem, not a bad profile: say
 * which setting points elsewhere (an uninstalled scrc finds its tree's own,
 * conf_tree_find, so this is an installed one or a moved tree).
 */
static void
check_lang_dir(void)
{
	struct stat st;

	if (stat(conf.lang_dir, &st) != 0)
		fatal("language profiles: %s: %s (set " LANG_DIR_HINT ")", conf.lang_dir,
		    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		fatal("language profiles: %s: not a directory (set " LANG_DIR_HINT ")",
		    conf.lang_dir);
}

/*
 * Settings of every box: the seccomp profile (beside the language
 * profiles unless set), how long it may take to start and the pool of
 * program uids.
 */
static void
configure_boxes(void)
{
	static char *seccomp;
	char err[1024];

	if (conf.seccomp == NULL || conf.seccomp[0] == '\0') {
		/* Its directory missing is the lang dir's problem, not the profile's. */
		check_lang_dir();
		seccomp = xasprintf("%s/seccomp.json", conf.lang_dir);
	}
	else if (strcmp(conf.seccomp, "engine") != 0)
		seccomp = xstrdup(conf.seccomp);
	if (seccomp != NULL && access(seccomp, R_OK) != 0)
		fatal("seccomp profile %s: %s (set SCRC_SECCOMP; \"engine\" keeps the "
		    "engine's default)", seccomp, strerror(errno));
	docker_set_seccomp(seccomp);
	docker_set_start_timeout(conf.box_start_ms);
	if (strcmp(conf.box_channel, "socket") != 0 && strcmp(conf.box_channel, "attach") != 0)
		fatal("SCRC_BOX_CHANNEL=%s: \"socket\" or \"attach\"", conf.box_channel);
	docker_set_channel(strcmp(conf.box_channel, "socket") == 0);
	chan_set_dir(conf.socket_dir);
	cligate_configure((int)conf.docker_calls, CLIGATE_WAIT_MS);
	if (uidpool_configure((uint32_t)conf.uid_base, (uint32_t)conf.uid_count, conf.uid_dir,
	    err, sizeof err) != 0)
		fatal("%s (SCRC_UID_BASE, SCRC_UID_COUNT, SCRC_UID_DIR)", err);
	/* A cache we cannot trust is not fatal: checkers are then built every time. */
	if (progcache_configure(conf.cache_dir, conf.cache_bytes, err, sizeof err) != 0)
		log_warn("%s (SCRC_CACHE_DIR)", err);
}

static void
check_box(void)
{
	if (access(conf.box_path, R_OK) != 0)
		fatal("scrc-box helper %s: %s (set SCRC_BOX or --box to the scrc-box binary)",
		    conf.box_path, strerror(errno));
}

static int
read_all(const char *path, struct buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd;

	fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (fd != 0)
				close(fd);
			return -1;
		}
		buf_append(b, chunk, (size_t)n);
		if ((int64_t)b->len > SCRC_MAX_RECORD) {
			errno = EFBIG;
			if (fd != 0)
				close(fd);
			return -1;
		}
	}
	if (fd != 0)
		close(fd);
	return 0;
}

static void
print_result(const struct result *res)
{
	size_t len;
	char *json;

	json = result_to_json(res, (size_t)conf.field_cap_bytes,
	    (size_t)conf.max_message_bytes, &len);
	fwrite(json, 1, len, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	free(json);
}

static char self_exe[4096];

/*
 * A judge told to stop mid-submission leaves its containers behind; a
 * child (fork and exec are safe in a handler) waits for this process to be
 * gone, then runs `scrc --cleanup`, which removes the boxes of dead judges.
 */
static void
run_signal(int sig)
{
	pid_t parent = getpid();
	char *argv[] = { self_exe, "--cleanup", NULL };

	if (self_exe[0] != '\0' && fork() == 0) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		/* Out of the judge's process group: a SIGKILL sent there must not stop it. */
		setsid();
		while (getppid() == parent)
			nanosleep(&ts, NULL);
		execv(self_exe, argv);
		_exit(127);
	}
	_exit(128 + sig);
}

static void
run_signals(void)
{
	struct sigaction sa;
	ssize_t n;

	n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
	self_exe[n > 0 ? n : 0] = '\0';
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = run_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/*
 * Reads one frame of a worker's judge's stdin ("LEN\n" and LEN bytes, see
 * worker.h) into out, NUL-terminated. 1, 0 when the input ended before a
 * frame began, -1 when it is malformed or cut short.
 */
static int
run_read_frame(struct buf *out)
{
	char head[24], chunk[65536];
	unsigned long long want;
	size_t n = 0, k;
	ssize_t r;

	buf_reset(out);
	for (;;) {
		r = read(0, head + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 && n == 0 ? 0 : -1;
		if (head[n] == '\n')
			break;
		if (head[n] < '0' || head[n] > '9' || ++n == sizeof head)
			return -1;
	}
	if (n == 0)
		return -1;
	head[n] = '\0';
	want = strtoull(head, NULL, 10);
	if (want > (unsigned long long)SCRC_MAX_RECORD)
		return -1;
	while (out->len < want) {
		k = want - out->len < sizeof chunk ? (size_t)(want - out->len) : sizeof chunk;
		r = read(0, chunk, k);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf_append(out, chunk, (size_t)r);
	}
	if (out->data == NULL)
		buf_append(out, "", 0);
	return 1;
}

/*
 * Judges one record and prints its result line. 0, or (worker_child only)
 * SCRC_EXIT_TEMPFAIL for an infrastructure failure the worker retries.
 */
static int
run_judge(const struct lang_set *langs, const char *data, size_t len, const char *fallback,
    int worker_child)
{
	struct request req;
	struct result res;
	char err[1024];
	int rc = 0;

	memset(&req, 0, sizeof req);
	if (request_parse(data != NULL ? data : "", len, fallback, &req, err, sizeof err) != 0) {
		result_init(&res, req.id ? req.id : fallback);
		res.status = RESULT_IE;
		res.worker = conf.worker_name ? xstrdup(conf.worker_name) : NULL;
		result_set_error(&res, "%s", err);
	} else if (req.type == REQUEST_DONE) {
		result_init(&res, req.id);
		res.status = RESULT_IE;
		result_set_error(&res, "a \"done\" record has nothing to judge");
	} else if (judge_submission(langs, &req, &res) != 0) {
		log_warn("submission %s: infrastructure failure: %s", req.id,
		    res.error ? res.error : "?");
		if (worker_child)
			rc = SCRC_EXIT_TEMPFAIL;
	}
	print_result(&res);
	result_free(&res);
	request_free(&req);
	return rc;
}

/*
 * The boxes this judge kept (docker_keep), each made fresh for the next
 * submission and waiting like a box started ahead; one whose reset finds
 * something left is removed (the next submission then starts its own).
 */
static void
run_keep(struct docker_box **kept, size_t n)
{
	char err[1024];
	struct buf names;
	size_t i, ok = 0;

	buf_init(&names);
	for (i = 0; i < n; i++) {
		if (docker_box_reset(kept[i], err, sizeof err) != 0) {
			log_warn("reuse: box %s is not reused: %s", docker_box_container(kept[i]),
			    err);
			tally_add(TALLY_REUSE_REFUSED, 1);
			docker_box_close_later(kept[i]);
			continue;
		}
		buf_printf(&names, " %s", docker_box_container(kept[i]));
		warm_adopt(kept[i]);
		ok++;
	}
	docker_box_close_all();	/* those refused */
	/* Said after every submission kept for: the test suites wait for it (helpers.bash). */
	log_debug("reuse: %zu of %zu boxes are ready for the next submission:%s", ok, n,
	    names.data != NULL ? names.data : "");
	buf_free(&names);
}

/*
 * `scrc run --worker-child -`: submissions framed on stdin (worker.h), one
 * after another while this judge keeps a box a next one can use.
 */
static int
run_worker_child(void)
{
	const char *warm = getenv(WARM_ENV);
	struct docker_box *kept[DOCKER_KEEP_MAX], *box;
	struct lang_set *langs;
	size_t nkept;
	struct buf id, rec;
	int64_t served = 0;
	char err[1024];
	int rc = 0, r;

	langs = load_langs();
	check_box();
	if (warm != NULL && *warm != '\0' && warm_start(warm, err, sizeof err) != 0)
		log_warn("warm: no box started ahead: %s", err);
	buf_init(&id);
	buf_init(&rec);
	while ((r = run_read_frame(&id)) == 1) {
		if (run_read_frame(&rec) != 1)
			fatal("stdin: a record frame (\"LEN\\n\" and LEN bytes) must follow the id");
		served++;
		docker_first_ready_reset();
		docker_keep(served < conf.box_reuse);
		rc = run_judge(langs, rec.data, rec.len, id.len > 0 ? id.data : "stdin", 1);
		docker_keep(0);
		for (nkept = 0; (box = docker_box_kept()) != NULL; )
			kept[nkept++] = box;
		/*
		 * A submission that needed no box (a cached compile error) leaves
		 * the waiting ones for the next; one that needed others does not
		 * (their key is what its language needs now).
		 */
		if (nkept == 0 && served < conf.box_reuse)
			while (nkept < DOCKER_KEEP_MAX && (box = warm_untaken()) != NULL)
				kept[nkept++] = box;
		if (rc != 0) {
			while (nkept > 0)
				docker_box_close_later(kept[--nkept]);
			break;
		}
		/*
		 * A final verdict is the worker's to publish now: the trailer
		 * says so, and the worker goes on while the boxes are removed.
		 */
		if (docker_first_ready() != NULL)
			printf("%s %s\n", WORKER_WARM_LINE, docker_first_ready());
		if (nkept > 0)
			puts(WORKER_AGAIN_LINE);
		fputs(WORKER_FINAL_LINE "\n", stdout);
		fflush(stdout);
		if (nkept == 0) {
			fclose(stdout);
			break;
		}
		/*
		 * The other boxes and the waiting ones not kept go first (after
		 * the adoption they would be among those judge_release drops).
		 */
		judge_release();
		run_keep(kept, nkept);
		/*
		 * Waiting, this judge should hold no more than a fresh one: a big
		 * record or a flood of output grew the heap, and glibc keeps what
		 * was freed below its top unless asked.
		 */
		buf_free(&rec);
		buf_init(&rec);
		malloc_trim(0);
	}
	if (r < 0)
		fatal("stdin: a worker's judge reads frames \"LEN\\n\" and LEN bytes");
	judge_release();
	buf_free(&id);
	buf_free(&rec);
	lang_set_free(langs);
	return rc;
}

/* `scrc run FILE|-`: the JSON contract, one record. */
static int
run_record(const char *path)
{
	struct lang_set *langs;
	struct buf in;
	const char *fallback;

	langs = load_langs();
	check_box();
	buf_init(&in);
	if (read_all(path, &in) != 0)
		fatal("%s: %s", path, strerror(errno));
	fallback = getenv("SCRC_FALLBACK_ID");
	if (fallback == NULL || *fallback == '\0')
		fallback = strcmp(path, "-") == 0 ? "stdin" : path;
	(void)run_judge(langs, in.data, in.len, fallback, 0);
	judge_release();
	buf_free(&in);
	lang_set_free(langs);
	return 0;
}

static const char *
human_bytes(int64_t v, char *out, size_t size)
{
	if (v >= 1024 * 1024)
		snprintf(out, size, "%.1fMiB", (double)v / (1024 * 1024));
	else if (v >= 1024)
		snprintf(out, size, "%.1fKiB", (double)v / 1024);
	else
		snprintf(out, size, "%lldB", (long long)v);
	return out;
}

static void
print_excerpt(const char *label, const struct buf *b)
{
	size_t n = b->len > 2000 ? 2000 : b->len;

	if (b->len == 0)
		return;
	printf("--- %s%s\n", label, b->len > n ? " (first 2000 bytes)" : "");
	fwrite(b->data, 1, n, stdout);
	if (n > 0 && b->data[n - 1] != '\n')
		putchar('\n');
}

/*
 * A problem setter's program from a file, its language the profile whose
 * source file has the same extension (.c, .cpp, .py, ...).
 */
static struct request_program *
run_program_file(const struct lang_set *langs, const char *path, const char *what)
{
	struct request_program *p = xcalloc(1, sizeof *p);
	const char *ext = strrchr(path, '.'), *e;
	struct buf b;
	size_t i;

	for (i = 0; ext != NULL && i < lang_set_count(langs); i++) {
		e = strrchr(lang_set_at(langs, i)->source, '.');
		if (e != NULL && strcmp(e, ext) == 0) {
			p->language = xstrdup(lang_set_at(langs, i)->name);
			break;
		}
	}
	if (p->language == NULL)
		fatal("run: %s %s: no language profile has sources ending in \"%s\"", what, path,
		    ext != NULL ? ext : "");
	buf_init(&b);
	if (read_all(path, &b) != 0)
		fatal("%s: %s", path, strerror(errno));
	p->source = buf_steal(&b, &p->source_len);
	return p;
}

/* The note of a test in the table: why it is not OK, and what the checker said. */
static void
run_note(const struct result_test *t, char *out, size_t size)
{
	const char *why = t->error ? t->error : t->reason ? t->reason : "";
	const char *msg = t->checker_msg.data != NULL ? t->checker_msg.data : "";
	int n = (int)strcspn(msg, "\n");

	snprintf(out, size, "%s%s%.*s", why, *why != '\0' && n > 0 ? "; " : "",
	    n > 120 ? 120 : n, msg);
}

/* `scrc run --lang L SOURCE --test IN:OUT ...`: for people. */
static int
run_files(int argc, char **argv)
{
	struct lang_set *langs;
	struct request req;
	struct result res;
	struct buf src;
	const char *lang = NULL, *source = NULL, *checker = NULL;
	const char *checker_file = NULL, *interactor_file = NULL;
	int json = 0, i;
	size_t k;

	memset(&req, 0, sizeof req);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[++i];
		else if (strcmp(argv[i], "--checker") == 0 && i + 1 < argc)
			checker = argv[++i];
		else if (strcmp(argv[i], "--checker-program") == 0 && i + 1 < argc)
			checker_file = argv[++i];
		else if (strcmp(argv[i], "--interactor") == 0 && i + 1 < argc)
			interactor_file = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--run-all-tests") == 0)
			req.run_all_tests = 1;
		else if (strcmp(argv[i], "--test") == 0 && i + 1 < argc) {
			char *spec = argv[++i], *colon = strchr(spec, ':');
			struct request_test *t;
			struct buf b;

			req.tests = xrealloc(req.tests, (req.ntests + 1) * sizeof *req.tests);
			t = &req.tests[req.ntests++];
			memset(t, 0, sizeof *t);
			t->number = (int)req.ntests;
			if (colon != NULL)
				*colon = '\0';
			buf_init(&b);
			if (read_all(spec, &b) != 0)
				fatal("%s: %s", spec, strerror(errno));
			t->input = buf_steal(&b, &t->input_len);
			if (colon != NULL) {
				if (read_all(colon + 1, &b) != 0)
					fatal("%s: %s", colon + 1, strerror(errno));
				t->expected = buf_steal(&b, &t->expected_len);
			}
		} else if (argv[i][0] == '-' && argv[i][1] != '\0')
			fatal("run: unknown option %s (see --help)", argv[i]);
		else if (source == NULL)
			source = argv[i];
		else
			fatal("run: more than one source file");
	}
	if (lang == NULL || source == NULL)
		fatal("run: --lang LANG and a SOURCE file are needed (see --help)");

	langs = load_langs();
	check_box();
	buf_init(&src);
	if (read_all(source, &src) != 0)
		fatal("%s: %s", source, strerror(errno));
	req.id = xstrdup(source);
	req.language = xstrdup(lang);
	req.source = buf_steal(&src, &req.source_len);
	req.checker = checker ? xstrdup(checker) : NULL;
	if (checker_file != NULL)
		req.checker_prog = run_program_file(langs, checker_file, "--checker-program");
	if (interactor_file != NULL)
		req.interactor = run_program_file(langs, interactor_file, "--interactor");

	if (judge_submission(langs, &req, &res) != 0)
		log_error("infrastructure failure: %s", res.error ? res.error : "?");
	if (json) {
		print_result(&res);
	} else {
		char mem[32], note[512], score[32];

		printf("%-6s %-6s %8s %8s %10s %6s  %s\n", "test", "status", "wall", "cpu",
		    "memory", "score", "note");
		for (k = 0; k < res.ntests; k++) {
			const struct result_test *t = &res.tests[k];

			snprintf(score, sizeof score, t->scored ? "%.3g" : "-", t->score);
			run_note(t, note, sizeof note);
			printf("%-6d %-6s %6lldms %6lldms %10s %6s  %s\n", t->number,
			    result_status_name(t->status), (long long)t->duration_ms,
			    (long long)t->cpu_time_ms, human_bytes(t->memory_bytes, mem,
			    sizeof mem), score, note);
		}
		snprintf(score, sizeof score, res.scored ? "%.4g/%.4g" : "-", res.score,
		    res.max_score);
		printf("%-6s %-6s %6lldms %6lldms %10s %6s  %s\n", "all",
		    result_status_name(res.status), (long long)res.duration_ms,
		    (long long)res.cpu_time_ms, human_bytes(res.memory_bytes, mem, sizeof mem),
		    score, res.error ? res.error : res.reason ? res.reason : "");
		if (res.ntests == 0 || res.status == RESULT_BF) {
			print_excerpt("stdout", &res.out);
			print_excerpt("stderr", &res.err);
		}
	}
	fflush(stdout);
	judge_release();
	result_free(&res);
	request_free(&req);
	lang_set_free(langs);
	return 0;
}

static int
check_config(void)
{
	struct lang_set *langs;
	char err[1024];
	size_t i;
	int docker_ok;

	langs = load_langs();
	check_box();
	conf_print(stdout);
	docker_ok = docker_ping(10000, err, sizeof err) == 0;
	printf("\ndocker: %s\n", docker_ok ? "answers" : err);
	printf("\n%zu language profiles in %s:\n", lang_set_count(langs), conf.lang_dir);
	for (i = 0; i < lang_set_count(langs); i++) {
		const struct lang_profile *lp = lang_set_at(langs, i);
		const char *state = "";

		if (docker_ok) {
			int b = lp->build_image ? docker_image_exists(lp->build_image, NULL, 0) : 0;
			int r = docker_image_exists(lp->run_image, NULL, 0);

			state = b == 0 && r == 0 ? "images present" : "IMAGE MISSING (make images)";
		}
		printf("  %-12s build=%s run=%s  %s\n", lp->name,
		    lp->build_argv ? lp->build_image : "-", lp->run_image, state);
	}
	lang_set_free(langs);
	return 0;
}

/* Removes containers that judges killed in an earlier life left behind. */
static void
cleanup_orphans(void)
{
	char err[1024];
	int n;

	if (docker_ping(10000, err, sizeof err) != 0) {
		log_warn("docker does not answer (%s); submissions will wait for it", err);
		return;
	}
	n = docker_cleanup_orphans(err, sizeof err);
	if (n < 0)
		log_warn("could not look for leftover containers: %s", err);
	else if (n > 0)
		log_info("removed %d container(s) left by judges that died", n);
}

int
main(int argc, char **argv)
{
	char err[1024];
	sigset_t none;
	int i, worker_child = 0;

	/* Whatever mask we were started with (libpipeline blocks SIGCHLD in its
	 * children), docker.c's waits need SIGCHLD delivered. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	/* Flags that are not settings, wherever they stand. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("scrc %s\n", PACKAGE_VERSION);
			return 0;
		}
		if (strcmp(argv[i], "--") == 0)
			break;
	}
	if (conf_load(&argc, argv, err, sizeof err) != 0) {
		fprintf(stderr, "scrc: %s\n", err);
		return 2;
	}
	if (strcmp(conf.log_format, "json") == 0)
		log_set_format(logjson_format);
	docker_set_cli(conf.docker);
	configure_boxes();

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--check-config") == 0)
			return check_config();
		if (strcmp(argv[i], "--list-languages") == 0) {
			struct lang_set *langs = load_langs();
			int rc = selftest_list(langs);

			lang_set_free(langs);
			return rc;
		}
		if (strcmp(argv[i], "--self-test") == 0) {
			struct lang_set *langs = load_langs();
			int rc;

			check_box();
			rc = selftest_run(langs, argv + i + 1, (size_t)(argc - i - 1));
			lang_set_free(langs);
			return rc;
		}
		if (strcmp(argv[i], "--cleanup") == 0) {
			cleanup_orphans();
			return 0;
		}
		if (strcmp(argv[i], "--worker-child") == 0) {
			worker_child = 1;
			tally_attach();	/* the worker's counters of containers and cache */
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof *argv);
			argc--;
			i--;
		}
	}

	if (argc < 2 || strcmp(argv[1], "worker") == 0) {
#ifdef SCRC_JUDGE_ONLY
		fatal("this is scrc-judge, the worker's judge: it runs `run` only; "
		    "the worker is scrc");
#endif
		if (argc > 2)
			fatal("worker: unexpected argument %s (see --help)", argv[2]);
		lang_set_free(load_langs());	/* fail at start-up, not later */
		check_box();
		cleanup_orphans();
		return worker_main();
	}
	if (strcmp(argv[1], "run") == 0) {
		run_signals();
		if (argc == 3 && (argv[2][0] != '-' || strcmp(argv[2], "-") == 0))
			return worker_child ? run_worker_child() : run_record(argv[2]);
		return run_files(argc - 2, argv + 2);
	}
	fprintf(stderr, "scrc: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
