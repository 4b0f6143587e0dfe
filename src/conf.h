/*
 * conf.h - the effective configuration: one table of settings, each with a
 * type, range, default, environment variable and command-line flag (flags
 * win over the environment). Loaded once at start-up, read-only after.
 */
#ifndef SCRC_CONF_H
#define SCRC_CONF_H

#include <stddef.h>
#include <stdint.h>

struct conf {
	/* Kafka (PROTOCOL.md names) */
	char	*brokers;		/* KAFKA_BROKERS, --brokers */
	char	*topic;			/* KAFKA_TOPIC, --topic */
	char	*results_topic;		/* KAFKA_RESULTS_TOPIC, --results-topic */
	char	*group_id;		/* KAFKA_GROUP_ID, --group-id */
	int64_t	 max_parallel;		/* RUNNER_MAX_PARALLEL, --max-parallel */
	int64_t	 script_expected;	/* SCRIPT_EXPECTED, --script-expected */
	int64_t	 max_message_bytes;	/* SCRC_MAX_MESSAGE_BYTES */
	int	 embedded_kafka;	/* --embedded-kafka */

	/* Limits */
	int64_t	 default_time_ms;	/* RUNNER_TIME_LIMIT, --time-limit */
	int64_t	 default_memory_bytes;	/* RUNNER_MEMORY_LIMIT, --memory-limit */
	int64_t	 max_time_ms;		/* SCRC_MAX_TIME_LIMIT ceiling */
	int64_t	 max_wall_ms;		/* SCRC_MAX_WALL_LIMIT ceiling */
	int64_t	 max_memory_bytes;	/* SCRC_MAX_MEMORY_LIMIT ceiling */
	int64_t	 max_tests;		/* SCRC_MAX_TESTS */
	int64_t	 output_cap_bytes;	/* SCRC_OUTPUT_LIMIT: hard cap -> OL */
	int64_t	 field_cap_bytes;	/* SCRC_FIELD_LIMIT: kept in the record */
	int64_t	 pids_limit;		/* SCRC_PIDS_LIMIT */
	int64_t	 file_size_bytes;	/* SCRC_FILE_SIZE_LIMIT */
	int64_t	 workdir_bytes;		/* SCRC_WORKDIR_SIZE: tmpfs size */

	/* Infrastructure */
	char	*lang_dir;		/* SCRC_LANG_DIR, --lang-dir */
	char	*box_path;		/* SCRC_BOX, --box */
	char	*docker;		/* SCRC_DOCKER, --docker: the CLI */
	int64_t	 box_cpus_milli;	/* SCRC_BOX_CPUS, in thousandths of a core */
	int64_t	 box_start_ms;		/* SCRC_BOX_START_TIMEOUT */
	char	*seccomp;		/* SCRC_SECCOMP: NULL = lang dir's, "engine" */
	int64_t	 uid_base;		/* SCRC_UID_BASE */
	int64_t	 uid_count;		/* SCRC_UID_COUNT */
	char	*uid_dir;		/* SCRC_UID_DIR */
	char	*cache_dir;		/* SCRC_CACHE_DIR: NULL = the default */
	int64_t	 cache_bytes;		/* SCRC_CACHE_BYTES */
	int	 build_cache;		/* SCRC_BUILD_CACHE */
	char	*worker_name;		/* SCRC_WORKER_NAME, --worker-name */
	int64_t	 warm_judges;		/* SCRC_WARM_JUDGES */
	int64_t	 box_reuse;		/* SCRC_BOX_REUSE */
	char	*box_channel;		/* SCRC_BOX_CHANNEL: "socket" or "attach" */
	char	*socket_dir;		/* SCRC_SOCKET_DIR */
	int64_t	 docker_calls;		/* SCRC_DOCKER_CALLS: 0 = no bound */
	int64_t	 infra_retries;		/* SCRC_INFRA_RETRIES */
	int64_t	 drain_timeout_ms;	/* SCRC_DRAIN_TIMEOUT */
	int64_t	 stats_interval_ms;	/* SCRC_STATS_INTERVAL */
	int	 verbose;		/* -v */
	char	*log_format;		/* SCRC_LOG_FORMAT: "text" or "json" */
	char	*metrics_listen;	/* SCRC_METRICS_LISTEN: ADDR:PORT, NULL = off */
};

/* The loaded configuration; read-only once conf_load() returned. */
extern struct conf conf;

/*
 * Fills `conf` from defaults, then the environment, then argv flags (only
 * the flags this table knows; *argc/argv are compacted to what is left,
 * argv[0] kept). Returns 0, or -1 with a message in errstr.
 */
int	conf_load(int *argc, char **argv, char *errstr, size_t errstr_size);
/* Resets `conf` to the built-in defaults (used by tests). */
void	conf_defaults(void);
/* Prints the effective settings, one "NAME=value" per line. */
void	conf_print(void *stream);
/* Writes the settings back to the environment, so child processes
 * (scrc run spawned by the worker) see the same configuration. */
void	conf_export(void);
/*
 * The file `make` writes beside an uninstalled scrc: one line, the absolute
 * source directory of its build tree.
 */
#define CONF_TREE_MARKER	".scrc-build-tree"

/*
 * Whether the binary at path `exe` (absolute, symlinks resolved) runs from a
 * build tree: 1 with the tree's profile directory and helper in *lang_dir
 * and *box_path (the caller frees them), else 0 and both NULL. A binary in
 * `bindir` (the installed location; NULL = no such check) is never a tree's.
 * conf_load() applies it to the running binary before the environment.
 */
int	conf_tree_find(const char *exe, const char *bindir, char **lang_dir, char **box_path);
/* Prints the flag table for --help. */
void	conf_usage(void *stream);

#endif
