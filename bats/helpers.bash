# helpers.bash - helpers shared by the scrc bats suites ("load helpers").
#
# The integration suites run against a real Docker engine and a real Kafka
# broker (contrib/docker-ensure.sh and contrib/kafka/kafka.sh start them).
# A missing service is a test failure with a message saying what to do,
# never a skip.
#
# Variables: KAFKA_BROKERS (127.0.0.1:9092) is the broker list the tests use;
# PYTHON (/usr/bin/python3, Debian's, which has confluent_kafka: a pyenv
# python3 first on PATH may not) runs the Python Kafka client snippets.

KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:9092}
if [ -z "${PYTHON:-}" ]; then
	PYTHON=/usr/bin/python3
	[ -x "$PYTHON" ] || PYTHON=python3
fi
export KAFKA_BROKERS PYTHON
# Every test starts with a build cache of its own, empty: one kept from
# another test, or from an earlier run of the suite, would let a build the
# test means to exercise be skipped. (A suite's setup_file gets the file's.)
export SCRC_CACHE_DIR=${BATS_TEST_TMPDIR:-${BATS_FILE_TMPDIR:-/tmp}}/scrc-cache

# repo_root: print the top directory of the source tree (SCRC_SRCDIR when
# set, as "make check-integration" does, else the parent of bats/).
repo_root() {
	if [ -n "${SCRC_SRCDIR:-}" ]; then
		echo "$SCRC_SRCDIR"
	else
		(cd "$BATS_TEST_DIRNAME/.." && pwd)
	fi
}

# The CLI scrc drives in these suites: docker, or podman with
# SCRC_DOCKER=podman (the suites that judge through `scrc run` run with both).
DOCKER=${SCRC_DOCKER:-docker}

# The --ulimit flags a test's own `$DOCKER run` passes: podman here cannot
# start a container without them (PLATFORM.md: "setting rlimit type 7/6:
# operation not permitted"); docker takes them alike.
CLI_ULIMITS="--ulimit nofile=1024:1024 --ulimit nproc=512:512"

# require_docker: fail (status 1, message on stderr) unless the engine
# answers "$DOCKER info".
require_docker() {
	local err
	if ! err=$("$DOCKER" info 2>&1 >/dev/null); then
		echo "require_docker: the Docker daemon does not answer '$DOCKER info':" >&2
		echo "  ${err:0:300}" >&2
		echo "  start it with: contrib/docker-ensure.sh start (as root)" >&2
		return 1
	fi
}

# require_kafka: fail (status 1, message on stderr) unless a broker of
# $KAFKA_BROKERS answers a metadata request within 3 s.
require_kafka() {
	if ! kcat -b "$KAFKA_BROKERS" -L -m 3 >/dev/null 2>&1; then
		echo "require_kafka: no Kafka broker answers at $KAFKA_BROKERS" >&2
		echo "  start one with: contrib/kafka/kafka.sh start" >&2
		return 1
	fi
}

# unique_topic: print a topic name no other test (or run) uses.
unique_topic() {
	echo "scrc-test-$$-${BATS_TEST_NUMBER:-0}-$RANDOM$RANDOM"
}

# create_topic NAME [PARTITIONS]: create a topic (default 1 partition) on
# $KAFKA_BROKERS and wait until every partition has a leader.
create_topic() {
	KAFKA_BROKERS=$KAFKA_BROKERS PYTHON=$PYTHON \
		bash "$(repo_root)/contrib/kafka/kafka.sh" topic-create "$1" "${2:-1}"
}

# judge FILE: `scrc run FILE` into FILE.out (stderr in FILE.err); sets
# ELAPSED_MS; fails unless scrc exits 0 with one JSON object on one line.
judge() {
	local rc=0 t0
	t0=$(date +%s%N)
	if [ -n "${REUSE_DIR:-}" ] && [ "$(reuse_env)" = "$(cat "$REUSE_DIR/env")" ]; then
		reuse_judge "$1" || rc=$?
	else
		"$SCRC" run "$1" > "$1.out" 2> "$1.err" || rc=$?
	fi
	ELAPSED_MS=$((($(date +%s%N) - t0) / 1000000))
	check_judged "$1" "$rc"
}

# Reuse mode (SCRC_TEST_REUSE=1; .ci/run runs the hostile suites so a
# second time): judge hands every record of the file to one worker's judge
# (`scrc run --worker-child -`, started again whenever it exits) instead of
# a `scrc run` each, so each submission runs in the boxes the one before
# it used, reset, as in a worker. A test that changes scrc's environment
# for its judge gets a `scrc run` of its own.

# reuse_env: the scrc settings a judge would see (the cache dir is per test).
reuse_env() {
	env | grep '^SCRC_' | grep -v '^SCRC_CACHE_DIR=' | sort
}

# reuse_start: in a suite's setup_file, starts the judge when asked for.
reuse_start() {
	[ "${SCRC_TEST_REUSE:-0}" = 1 ] || return 0
	export REUSE_DIR=$BATS_FILE_TMPDIR/reuse
	mkdir -p "$REUSE_DIR"
	rm -f "$REUSE_DIR/in" "$REUSE_DIR/stop"
	mkfifo "$REUSE_DIR/in"
	: > "$REUSE_DIR/out"
	: > "$REUSE_DIR/err"
	reuse_env > "$REUSE_DIR/env"
	# The loop holds the FIFO's read end and the holder its write end, so
	# the judge never meets the end of its input between two tests.
	(
		while [ ! -e "$REUSE_DIR/stop" ]; do
			SCRC_VERBOSE=1 "$SCRC" run --worker-child - >> "$REUSE_DIR/out" \
				2>> "$REUSE_DIR/err" || true
			echo "reuse-judge-exited" >> "$REUSE_DIR/err"
		done
	) < "$REUSE_DIR/in" 3>&- &
	echo $! > "$REUSE_DIR/loop.pid"
	sleep 100000 > "$REUSE_DIR/in" 3>&- &
	echo $! > "$REUSE_DIR/holder.pid"
}

# reuse_stop: in teardown_file: the judge's input ends, it removes its boxes.
reuse_stop() {
	local i pid
	[ -n "${REUSE_DIR:-}" ] && [ -e "$REUSE_DIR/loop.pid" ] || return 0
	touch "$REUSE_DIR/stop"
	kill "$(cat "$REUSE_DIR/holder.pid")" 2>/dev/null || true
	pid=$(cat "$REUSE_DIR/loop.pid")
	for ((i = 0; i < 600; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	echo "the reusing judge did not stop in 60 s" >&2
	return 1
}

# reuse_events: the judge's submissions done (boxes ready, or it exited).
reuse_events() {
	grep -c 'boxes are ready for the next submission\|^reuse-judge-exited' "$REUSE_DIR/err"
}

# reuse_judge FILE: judges FILE in the reusing judge, its line in FILE.out,
# and waits until the judge has removed or reset its boxes.
reuse_judge() {
	local n0 e0 i
	n0=$(grep -c '^{' "$REUSE_DIR/out") || true
	e0=$(reuse_events) || true
	frames "$1" > "$REUSE_DIR/in"
	for ((i = 0; i < 6000; i++)); do
		if [ "$(grep -c '^{' "$REUSE_DIR/out")" -gt "$n0" ] &&
		    [ "$(reuse_events)" -gt "$e0" ]; then
			grep '^{' "$REUSE_DIR/out" | sed -n "$((n0 + 1))p" > "$1.out"
			tail -n 200 "$REUSE_DIR/err" > "$1.err"
			return 0
		fi
		if ! kill -0 "$(cat "$REUSE_DIR/loop.pid")" 2>/dev/null; then
			echo "the reusing judge is gone" >&2
			return 1
		fi
		sleep 0.1
	done
	echo "the reusing judge did not answer $1 in 600 s" >&2
	tail -n 30 "$REUSE_DIR/err" >&2
	return 1
}

# reuse_kept: the containers the reusing judge holds for the next submission.
reuse_kept() {
	[ -n "${REUSE_DIR:-}" ] || return 0
	grep 'boxes are ready for the next submission\|^reuse-judge-exited' "$REUSE_DIR/err" |
		tail -n 1 | sed -n 's/.*next submission://p'
}

# check_judged FILE RC: the checks of judge, for a run made elsewhere.
check_judged() {
	if [ "$2" -ne 0 ]; then
		echo "scrc run $1 exited $2; stderr:" >&2
		head -c 2000 "$1.err" >&2
		return 1
	fi
	if [ "$(wc -l < "$1.out")" -ne 1 ] || ! jq -e 'type == "object"' "$1.out" >/dev/null; then
		echo "scrc run $1 did not print one JSON object on one line:" >&2
		head -c 4000 "$1.out" >&2
		return 1
	fi
}

# expect FILE JQ [WHAT]: fail, printing the result (outputs shortened),
# unless the jq expression is true of FILE.out.
expect() {
	if ! jq -e "$2" "$1.out" >/dev/null 2>&1; then
		echo "${3:-$1}: expected $2" >&2
		echo "result: $(jq -c '.stdout |= .[0:1500] | .stderr |= .[0:1500] |
			.tests |= map(.stdout |= .[0:300] | .stderr |= .[0:300])' "$1.out" 2>/dev/null ||
			head -c 4000 "$1.out")" >&2
		return 1
	fi
}

# Helpers of the suites that judge hostile programs through `scrc run`
# (hostile.bats, integrity.bats). They use $ID (one per test) and $LIMITS.

# need_env: the built scrc, scrc-box and profiles, and a Docker daemon.
need_env() {
	if [ -z "${SCRC:-}" ] || [ ! -x "$SCRC" ]; then
		echo "SCRC must name the built scrc binary (make check-integration sets it)" >&2
		return 1
	fi
	if [ -z "${SCRC_BOX:-}" ] || [ ! -r "$SCRC_BOX" ]; then
		echo "SCRC_BOX must name the built scrc-box helper" >&2
		return 1
	fi
	export SCRC_LANG_DIR=${SCRC_LANG_DIR:-$(repo_root)/lang}
	require_docker
}

# make_sub OUT LANG SOURCEFILE [JQ-OBJECT]: a submission of the file with
# id $ID-<name of OUT>; JQ-OBJECT is merged in (default: $LIMITS).
make_sub() {
	jq -n --rawfile src "$3" --arg lang "$2" --arg id "$ID-$(basename "$1" .json)" \
		"{id: \$id, language: \$lang, source: \$src} + (${4:-$LIMITS})" > "$1"
}

# frames FILE...: the records as a worker's judge reads them on its stdin
# (worker.h): for each, its id and then the record, "LEN\n" and LEN bytes.
frames() {
	local f id
	for f in "$@"; do
		id=$(jq -r .id "$f")
		printf '%d\n%s%d\n' "$(printf '%s' "$id" | wc -c)" "$id" "$(wc -c < "$f")"
		cat "$f"
	done
}

# faster_than MS: fail unless the last judge took less than MS.
faster_than() {
	if [ "$ELAPSED_MS" -ge "$1" ]; then
		echo "judging took $ELAPSED_MS ms, expected under $1 ms" >&2
		return 1
	fi
}

# strict_json FILE...: a strict UTF-8 JSON parser accepts each FILE.
strict_json() {
	"$PYTHON" -c '
import json, sys
for p in sys.argv[1:]:
    json.loads(open(p, "rb").read().decode("utf-8", errors="strict"))
' "$@"
}

# containers_of PREFIX: the containers (any state) whose submission label
# starts with PREFIX.
containers_of() {
	local ids
	ids=$("$DOCKER" ps -aq --filter label=scrc=1)
	[ -n "$ids" ] || return 0
	# inspect, not ps --format: podman's ps cannot print one label.
	# shellcheck disable=SC2086
	"$DOCKER" inspect -f \
		'{{.Id}} {{index .Config.Labels "scrc.submission"}} {{.State.Status}} {{.Name}}' \
		$ids 2>/dev/null | awk -v p="$1" 'index($2, p) == 1'
}

# gone_soon CMD...: succeeds once CMD prints nothing, within 10 s, else
# fails saying what is left. A box that said goodbye on its channel
# (SCRC_BOX_CHANNEL=socket) has exited; the engine removes its container
# a moment later, without a CLI call of ours waiting for that.
gone_soon() {
	local i out
	for i in $(seq 1 50); do
		out=$("$@") || true
		[ -z "$out" ] && return 0
		sleep 0.2
	done
	echo "still there after 10 s: $out" >&2
	return 1
}

# left_of PREFIX: the containers of PREFIX but those the reusing judge
# holds aside.
left_of() {
	local left kept name
	left=$(containers_of "$1")
	kept=$(reuse_kept)
	for name in $kept; do
		left=$(grep -v " /\?$name\$" <<< "$left" || true)
	done
	printf '%s' "$left"
}

# no_containers_left: fail when a container of this test survives (the
# ones the reusing judge holds aside).
no_containers_left() {
	gone_soon left_of "$ID-" || { echo "containers left behind" >&2; return 1; }
}

# wait_judged LOG N SECONDS: waits until a worker's LOG has N "judged" lines
# (text or JSON log format alike).
wait_judged() {
	local i n
	for ((i = 0; i < $3 * 10; i++)); do
		n=$(grep -c 'judged id=' "$1" 2>/dev/null) || n=0
		[ "$n" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "$1: fewer than $2 judged after $3 s" >&2
	return 1
}

# worker_suite_setup: for the suites that run `scrc worker` against the real
# broker and engine (fails unless both answer): SCRC (the binary), KT (the
# Kafka tool), T, R and G (this test's own topics and consumer group) and
# W (its temp dir).
worker_suite_setup() {
	require_kafka || return 1
	require_docker || return 1
	SCRC=${SCRC:-$(repo_root)/scrc}
	[ -x "$SCRC" ] || { echo "no scrc binary at $SCRC (set SCRC)" >&2; return 1; }
	KT="$PYTHON $(repo_root)/bats/kafka_tool.py"
	T=$(unique_topic)
	R=$T-results
	G=$T-group
	W=$BATS_TEST_TMPDIR
}
