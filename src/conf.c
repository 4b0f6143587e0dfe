/*
 * conf.c - the configuration table. Every setting is one row: its name (the
 * environment variable), its flag, its type and range, and its default.
 * Defaults are applied first, then the environment, then flags.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "conf.h"
#include "util.h"

struct conf conf;

enum conf_type {
	CONF_STRING,
	CONF_INT,
	CONF_DURATION,	/* milliseconds; Go-style durations accepted */
	CONF_BYTES,
	CONF_BOOL,
	CONF_MILLI,	/* a decimal with up to 3 places, kept in thousandths */
};

struct conf_entry {
	const char	*env;	/* environment variable; NULL = flag only */
	const char	*flag;	/* long flag without "--" */
	enum conf_type	 type;
	size_t		 offset;
	const char	*def;	/* default as text; NULL = unset */
	int64_t		 min;
	int64_t		 max;
	const char	*help;
};

#define OFF(f) offsetof(struct conf, f)
#define GiB (1LL << 30)
#define MiB (1LL << 20)

static const struct conf_entry conf_table[] = {
	{ "KAFKA_BROKERS", "brokers", CONF_STRING, OFF(brokers), "kafka:9092", 0, 0,
	  "comma-separated bootstrap servers" },
	{ "KAFKA_TOPIC", "topic", CONF_STRING, OFF(topic), "scripts", 0, 0,
	  "topic of submissions" },
	{ "KAFKA_RESULTS_TOPIC", "results-topic", CONF_STRING, OFF(results_topic),
	  "script-results", 0, 0, "topic of results" },
	{ "KAFKA_GROUP_ID", "group-id", CONF_STRING, OFF(group_id), "scrc-runner", 0, 0,
	  "consumer group" },
	{ "RUNNER_MAX_PARALLEL", "max-parallel", CONF_INT, OFF(max_parallel), "1", 1, 256,
	  "submissions judged at once" },
	{ "SCRIPT_EXPECTED", "script-expected", CONF_INT, OFF(script_expected), "0", 0,
	  INT64_MAX, "exit 0 after answering this many submissions (0 = forever)" },
	{ "SCRC_MAX_MESSAGE_BYTES", "max-message-bytes", CONF_BYTES, OFF(max_message_bytes),
	  "1000000", 32768, 1000000000, "largest result record produced" },
	{ NULL, "embedded-kafka", CONF_BOOL, OFF(embedded_kafka), "0", 0, 1,
	  "run on librdkafka's in-process mock cluster (quick start only)" },
	{ "RUNNER_TIME_LIMIT", "time-limit", CONF_DURATION, OFF(default_time_ms), "2s", 1,
	  INT64_MAX, "default CPU time limit per test" },
	{ "RUNNER_MEMORY_LIMIT", "memory-limit", CONF_BYTES, OFF(default_memory_bytes),
	  "256M", 4 * MiB, INT64_MAX, "default memory limit per test" },
	{ "SCRC_MAX_TIME_LIMIT", "max-time-limit", CONF_DURATION, OFF(max_time_ms), "20s", 1,
	  INT64_MAX, "ceiling on any requested CPU time limit" },
	{ "SCRC_MAX_WALL_LIMIT", "max-wall-limit", CONF_DURATION, OFF(max_wall_ms), "60s", 1,
	  INT64_MAX, "ceiling on any wall time limit" },
	{ "SCRC_MAX_MEMORY_LIMIT", "max-memory-limit", CONF_BYTES, OFF(max_memory_bytes), "2G",
	  4 * MiB, INT64_MAX, "ceiling on any requested memory limit" },
	{ "SCRC_MAX_TESTS", "max-tests", CONF_INT, OFF(max_tests), "1000", 1, 1000000,
	  "most tests accepted in one submission" },
	{ "SCRC_OUTPUT_LIMIT", "output-limit", CONF_BYTES, OFF(output_cap_bytes), "16M",
	  1024, 1 * GiB, "stdout/stderr hard cap per test (beyond: OL)" },
	{ "SCRC_FIELD_LIMIT", "field-limit", CONF_BYTES, OFF(field_cap_bytes), "64K", 0,
	  16 * MiB, "stdout/stderr kept in the result record" },
	{ "SCRC_PIDS_LIMIT", "pids-limit", CONF_INT, OFF(pids_limit), "64", 8, 100000,
	  "processes and threads per container" },
	{ "SCRC_FILE_SIZE_LIMIT", "file-size-limit", CONF_BYTES, OFF(file_size_bytes), "16M",
	  0, 16 * GiB, "largest file a program may write" },
	{ "SCRC_WORKDIR_SIZE", "workdir-size", CONF_BYTES, OFF(workdir_bytes), "64M", MiB,
	  16 * GiB, "size of each container's writable tmpfs" },
	{ "SCRC_LANG_DIR", "lang-dir", CONF_STRING, OFF(lang_dir), SCRC_LANG_DIR, 0, 0,
	  "directory of language profiles" },
	{ "SCRC_BOX", "box", CONF_STRING, OFF(box_path), SCRC_BOX_PATH, 0, 0,
	  "the scrc-box helper binary" },
	{ "SCRC_DOCKER", "docker", CONF_STRING, OFF(docker), "docker", 0, 0,
	  "the docker CLI" },
	{ "SCRC_BOX_CPUS", "box-cpus", CONF_MILLI, OFF(box_cpus_milli), "1", 0, 256000,
	  "CPU cores each box (build or run) may use; 0 = no cap" },
	{ "SCRC_BOX_START_TIMEOUT", "box-start-timeout", CONF_DURATION, OFF(box_start_ms),
	  "30s", 1000, 3600000, "how long a box may take to start (its image read from a "
	  "cold disk included) before the attempt counts as an infrastructure failure" },
	{ "SCRC_SECCOMP", "seccomp", CONF_STRING, OFF(seccomp), NULL, 0, 0,
	  "seccomp profile of every box (default: seccomp.json in the lang dir; "
	  "\"engine\" = the engine's own)" },
	{ "SCRC_UID_BASE", "uid-base", CONF_INT, OFF(uid_base), "2000000000", 1, 4000000000LL,
	  "first uid given to judged programs (one per box at a time)" },
	{ "SCRC_UID_COUNT", "uid-count", CONF_INT, OFF(uid_count), "10000", 1, 100000000,
	  "how many uids from SCRC_UID_BASE boxes may use" },
	{ "SCRC_UID_DIR", "uid-dir", CONF_STRING, OFF(uid_dir), "/tmp/scrc-uids", 0, 0,
	  "lock files of the uids in use, shared by every scrc of the host" },
	{ "SCRC_CACHE_DIR", "cache-dir", CONF_STRING, OFF(cache_dir), NULL, 0, 0,
	  "builds kept between submissions (default: "
	  "/tmp/scrc-cache-UID; must be ours alone)" },
	{ "SCRC_CACHE_BYTES", "cache-bytes", CONF_BYTES, OFF(cache_bytes), "256M", 0,
	  1LL << 40, "bound on that cache's size (0: no cache at all)" },
	{ "SCRC_BUILD_CACHE", "build-cache", CONF_BOOL, OFF(build_cache), "1", 0, 1,
	  "submissions' builds are cached too (0: every submission is built)" },
	{ "SCRC_WORKER_NAME", "worker-name", CONF_STRING, OFF(worker_name), NULL, 0, 0,
	  "name reported in results (default: host:pid)" },
	{ "SCRC_WARM_JUDGES", "warm-judges", CONF_INT, OFF(warm_judges), "8", 0, 64,
	  "judges waiting for their language's next submission, with the box it needed "
	  "last started ahead or the boxes of its last one kept (0: none)" },
	{ "SCRC_BOX_CHANNEL", "box-channel", CONF_STRING, OFF(box_channel), "socket", 0, 0,
	  "how the judge speaks to its boxes: \"socket\" (a socket in SCRC_SOCKET_DIR "
	  "mounted into each box; the engine must see this host's files) or \"attach\" "
	  "(one attached docker CLI process per box, for a remote engine)" },
	{ "SCRC_SOCKET_DIR", "socket-dir", CONF_STRING, OFF(socket_dir), NULL, 0, 0,
	  "where those sockets are made (default: /tmp/scrc-sockets-UID; must be ours "
	  "alone, and at the same path for the engine)" },
	{ "SCRC_DOCKER_CALLS", "docker-calls", CONF_INT, OFF(docker_calls), "1", 0, 64,
	  "docker CLI calls a worker and its judges make at once; the others wait their "
	  "turn (one that starts a box holds ~25 MB while it runs; 0: no bound)" },
	{ "SCRC_BOX_REUSE", "box-reuse", CONF_INT, OFF(box_reuse), "64", 1, 100000,
	  "submissions one box may serve, reset and checked between two (1: a box each)" },
	{ "SCRC_INFRA_RETRIES", "infra-retries", CONF_INT, OFF(infra_retries), "3", 0, 100,
	  "judging attempts on infrastructure failure before IE" },
	{ "SCRC_DRAIN_TIMEOUT", "drain-timeout", CONF_DURATION, OFF(drain_timeout_ms), "60s",
	  0, INT64_MAX, "how long shutdown waits for in-flight work" },
	{ "SCRC_STATS_INTERVAL", "stats-interval", CONF_DURATION, OFF(stats_interval_ms),
	  "60s", 0, INT64_MAX, "period of throughput log lines (0 = never)" },
	{ "SCRC_VERBOSE", "verbose", CONF_BOOL, OFF(verbose), "0", 0, 1,
	  "debug logging" },
	{ "SCRC_LOG_FORMAT", "log-format", CONF_STRING, OFF(log_format), "text", 0, 0,
	  "log lines as \"text\" or \"json\" (one object per line)" },
	{ "SCRC_METRICS_LISTEN", "metrics-listen", CONF_STRING, OFF(metrics_listen), NULL, 0,
	  0, "worker: serve /metrics and /healthz on ADDR:PORT (default: off)" },
};
#define CONF_N (sizeof conf_table / sizeof conf_table[0])

static void	conf_tree_defaults(void);

/*
 * A number beyond the setting's range, or beyond int64 itself: the same
 * error, so that an overflowing value is never taken as INT64_MAX.
 */
static int
conf_range_error(const struct conf_entry *e, const char *value, const char *origin,
    char *errstr, size_t errstr_size)
{
	util_seterr(errstr, errstr_size, "%s: %s=%s is out of range [%lld, %lld]",
	    origin, e->env ? e->env : e->flag, value, (long long)e->min, (long long)e->max);
	return -1;
}

static int
conf_set(const struct conf_entry *e, const char *value, const char *origin,
    char *errstr, size_t errstr_size)
{
	char *base = (char *)&conf + e->offset;
	int64_t v;

	switch (e->type) {
	case CONF_STRING: {
		char **p = (char **)base;

		free(*p);
		*p = value != NULL ? xstrdup(value) : NULL;
		return 0;
	}
	case CONF_BOOL: {
		int *p = (int *)base;

		if (strcmp(value, "1") == 0 || strcasecmp(value, "true") == 0 ||
		    strcasecmp(value, "yes") == 0 || strcasecmp(value, "on") == 0)
			*p = 1;
		else if (strcmp(value, "0") == 0 || strcasecmp(value, "false") == 0 ||
		    strcasecmp(value, "no") == 0 || strcasecmp(value, "off") == 0 ||
		    *value == '\0')
			*p = 0;
		else {
			util_seterr(errstr, errstr_size, "%s: %s is not a boolean: \"%s\"",
			    origin, e->env ? e->env : e->flag, value);
			return -1;
		}
		return 0;
	}
	case CONF_INT: {
		char *end;

		errno = 0;
		v = strtoll(value, &end, 10);
		if (*value == '\0' || *end != '\0') {
			util_seterr(errstr, errstr_size, "%s: %s is not an integer: \"%s\"",
			    origin, e->env ? e->env : e->flag, value);
			return -1;
		}
		if (errno == ERANGE)
			return conf_range_error(e, value, origin, errstr, errstr_size);
		break;
	}
	case CONF_DURATION:
		if (util_parse_duration_ms(value, &v) != 0) {
			if (errno == ERANGE)
				return conf_range_error(e, value, origin, errstr, errstr_size);
			util_seterr(errstr, errstr_size,
			    "%s: %s is not a duration (e.g. 500ms, 5s, 2m30s): \"%s\"",
			    origin, e->env ? e->env : e->flag, value);
			return -1;
		}
		break;
	case CONF_MILLI: {
		const char *q = value;
		int places = -1;

		/* Digits, then at most three after one point: no float rounding. */
		v = 0;
		for (; *q != '\0'; q++) {
			if (*q == '.' && places < 0) {
				places = 0;
				continue;
			}
			if (*q < '0' || *q > '9' || places >= 3 || v > INT64_MAX / 10 - 9)
				break;
			v = v * 10 + (*q - '0');
			if (places >= 0)
				places++;
		}
		if (*q != '\0' || q == value || (places == 0 && q[-1] == '.')) {
			util_seterr(errstr, errstr_size,
			    "%s: %s is not a number with at most 3 decimals: \"%s\"",
			    origin, e->env ? e->env : e->flag, value);
			return -1;
		}
		for (places = places < 0 ? 0 : places; places < 3; places++)
			v *= 10;
		break;
	}
	case CONF_BYTES:
		if (util_parse_bytes(value, &v) != 0) {
			if (errno == ERANGE)
				return conf_range_error(e, value, origin, errstr, errstr_size);
			util_seterr(errstr, errstr_size,
			    "%s: %s is not a size in bytes (e.g. 67108864, 64M): \"%s\"",
			    origin, e->env ? e->env : e->flag, value);
			return -1;
		}
		break;
	default:
		return -1;
	}
	if (v < e->min || v > e->max)
		return conf_range_error(e, value, origin, errstr, errstr_size);
	*(int64_t *)base = v;
	return 0;
}

static void
conf_clear(void)
{
	size_t i;

	for (i = 0; i < CONF_N; i++)
		if (conf_table[i].type == CONF_STRING)
			free(*(char **)((char *)&conf + conf_table[i].offset));
	memset(&conf, 0, sizeof conf);
}

void
conf_defaults(void)
{
	size_t i;

	conf_clear();
	for (i = 0; i < CONF_N; i++) {
		const struct conf_entry *e = &conf_table[i];

		if (e->def != NULL && conf_set(e, e->def, "default", NULL, 0) != 0)
			abort();	/* a bad built-in default is a programming error */
	}
}

static const struct conf_entry *
conf_find_flag(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < CONF_N; i++)
		if (strlen(conf_table[i].flag) == len &&
		    strncmp(conf_table[i].flag, name, len) == 0)
			return &conf_table[i];
	return NULL;
}

int
conf_load(int *argc, char **argv, char *errstr, size_t errstr_size)
{
	size_t i;
	int in, out;

	conf_defaults();
	conf_tree_defaults();
	for (i = 0; i < CONF_N; i++) {
		const struct conf_entry *e = &conf_table[i];
		const char *v;

		if (e->env == NULL || (v = getenv(e->env)) == NULL)
			continue;
		/* An empty value means "unset" for optional settings. */
		if (*v == '\0' && e->type != CONF_STRING && e->type != CONF_BOOL)
			continue;
		if (conf_set(e, v, "environment", errstr, errstr_size) != 0)
			return -1;
	}

	/* Flags: --name=value, --name value, and --name alone for booleans. */
	for (in = out = 1; in < *argc; in++) {
		const char *a = argv[in];
		const struct conf_entry *e;
		const char *eq, *value;

		if (strcmp(a, "--") == 0) {
			while (in < *argc)
				argv[out++] = argv[in++];
			break;
		}
		if (strncmp(a, "--", 2) != 0) {
			argv[out++] = argv[in];
			continue;
		}
		eq = strchr(a + 2, '=');
		e = conf_find_flag(a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
		if (e == NULL) {
			argv[out++] = argv[in];
			continue;
		}
		if (eq != NULL)
			value = eq + 1;
		else if (e->type == CONF_BOOL)
			value = "1";
		else if (in + 1 < *argc)
			value = argv[++in];
		else {
			util_seterr(errstr, errstr_size, "flag --%s needs a value", e->flag);
			return -1;
		}
		if (conf_set(e, value, "flag", errstr, errstr_size) != 0)
			return -1;
	}
	argv[out] = NULL;
	*argc = out;

	if (conf.worker_name == NULL) {
		char host[256];

		if (gethostname(host, sizeof host) != 0)
			strcpy(host, "scrc");
		host[sizeof host - 1] = '\0';
		conf.worker_name = xasprintf("%s:%ld", host, (long)getpid());
	}
	if (conf.default_time_ms > conf.max_time_ms) {
		util_seterr(errstr, errstr_size,
		    "RUNNER_TIME_LIMIT (%lld ms) is above SCRC_MAX_TIME_LIMIT (%lld ms)",
		    (long long)conf.default_time_ms, (long long)conf.max_time_ms);
		return -1;
	}
	if (conf.default_memory_bytes > conf.max_memory_bytes) {
		util_seterr(errstr, errstr_size,
		    "RUNNER_MEMORY_LIMIT (%lld) is above SCRC_MAX_MEMORY_LIMIT (%lld)",
		    (long long)conf.default_memory_bytes, (long long)conf.max_memory_bytes);
		return -1;
	}
	if (conf.log_format == NULL || (strcmp(conf.log_format, "text") != 0 &&
	    strcmp(conf.log_format, "json") != 0)) {
		util_seterr(errstr, errstr_size, "SCRC_LOG_FORMAT must be \"text\" or \"json\", "
		    "not \"%s\"", conf.log_format ? conf.log_format : "");
		return -1;
	}
	if (conf.verbose)
		util_log_min_level = UTIL_LOG_DEBUG;
	return 0;
}

static void
conf_format(const struct conf_entry *e, char *out, size_t size)
{
	const char *base = (const char *)&conf + e->offset;

	switch (e->type) {
	case CONF_STRING: {
		const char *s = *(char *const *)base;

		snprintf(out, size, "%s", s ? s : "");
		break;
	}
	case CONF_BOOL:
		snprintf(out, size, "%d", *(const int *)base);
		break;
	case CONF_DURATION:
		snprintf(out, size, "%lldms", (long long)*(const int64_t *)base);
		break;
	case CONF_MILLI: {
		int64_t m = *(const int64_t *)base;

		snprintf(out, size, "%lld.%03lld", (long long)(m / 1000), (long long)(m % 1000));
		break;
	}
	default:
		snprintf(out, size, "%lld", (long long)*(const int64_t *)base);
		break;
	}
}

void
conf_print(void *stream)
{
	char v[1024];
	size_t i;

	for (i = 0; i < CONF_N; i++) {
		conf_format(&conf_table[i], v, sizeof v);
		fprintf(stream, "%s=%s\n",
		    conf_table[i].env ? conf_table[i].env : conf_table[i].flag, v);
	}
}

void
conf_export(void)
{
	char v[1024];
	size_t i;

	for (i = 0; i < CONF_N; i++) {
		if (conf_table[i].env == NULL)
			continue;
		conf_format(&conf_table[i], v, sizeof v);
		setenv(conf_table[i].env, v, 1);
	}
}

void
conf_usage(void *stream)
{
	size_t i;

	for (i = 0; i < CONF_N; i++) {
		const struct conf_entry *e = &conf_table[i];
		char flag[64];

		snprintf(flag, sizeof flag, "--%s%s", e->flag,
		    e->type == CONF_BOOL ? "" : "=V");
		fprintf(stream, "  %-24s %-24s %s%s%s%s\n", flag, e->env ? e->env : "",
		    e->help, e->def ? " [" : "", e->def ? e->def : "", e->def ? "]" : "");
	}
}

/*
 * The build-tree marker: `make` writes it beside the scrc it built, holding
 * the absolute source directory (lang/ lives there, also when the build
 * directory is another one). `make install` never installs it, and a binary
 * that sits in the configured bindir does not even look, so an installed
 * scrc keeps the installed paths whatever lies beside it.
 */
int
conf_tree_find(const char *exe, const char *bindir, char **lang_dir, char **box_path)
{
	char dir[PATH_MAX], real_bindir[PATH_MAX], srcdir[PATH_MAX], real_lang[PATH_MAX];
	char *slash, *marker, *lang;
	struct stat st;
	ssize_t n;
	int fd, ok;

	*lang_dir = *box_path = NULL;
	slash = strrchr(exe, '/');
	if (slash == NULL || (size_t)(slash - exe) >= sizeof dir)
		return 0;
	memcpy(dir, exe, (size_t)(slash - exe));
	dir[slash - exe] = '\0';
	if (dir[0] == '\0')
		strcpy(dir, "/");
	if (bindir != NULL && realpath(bindir, real_bindir) != NULL) {
		char real_dir[PATH_MAX];

		if (realpath(dir, real_dir) != NULL && strcmp(real_dir, real_bindir) == 0)
			return 0;
	}

	marker = xasprintf("%s/%s", dir, CONF_TREE_MARKER);
	fd = open(marker, O_RDONLY | O_CLOEXEC);
	free(marker);
	if (fd < 0)
		return 0;
	n = read(fd, srcdir, sizeof srcdir - 1);
	close(fd);
	if (n <= 0)
		return 0;
	srcdir[n] = '\0';
	srcdir[strcspn(srcdir, "\n")] = '\0';
	/* A relative or stale marker (the tree moved) is no tree: installed paths. */
	if (srcdir[0] != '/')
		return 0;
	/* Canonical, as --check-config shows it: configure may record "build/../src". */
	lang = xasprintf("%s/lang", srcdir);
	ok = realpath(lang, real_lang) != NULL && stat(real_lang, &st) == 0 &&
	    S_ISDIR(st.st_mode);
	free(lang);
	if (!ok)
		return 0;
	*lang_dir = xstrdup(real_lang);
	*box_path = xasprintf("%s/scrc-box", dir);
	return 1;
}

/* When this process runs from a build tree, its tree's paths are the defaults. */
static void
conf_tree_defaults(void)
{
	char exe[PATH_MAX], *lang_dir, *box_path;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	if (conf_tree_find(exe, SCRC_BINDIR, &lang_dir, &box_path) != 1)
		return;
	free(conf.lang_dir);
	conf.lang_dir = lang_dir;
	free(conf.box_path);
	conf.box_path = box_path;
}
