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

# repo_root: print the top directory of the source tree (SCRC_SRCDIR when
# set, as "make check-integration" does, else the parent of bats/).
repo_root() {
	if [ -n "${SCRC_SRCDIR:-}" ]; then
		echo "$SCRC_SRCDIR"
	else
		(cd "$BATS_TEST_DIRNAME/.." && pwd)
	fi
}

# require_docker: fail (status 1, message on stderr) unless the Docker
# daemon answers "docker info".
require_docker() {
	local err
	if ! err=$(docker info 2>&1 >/dev/null); then
		echo "require_docker: the Docker daemon does not answer 'docker info':" >&2
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
	"$SCRC" run "$1" > "$1.out" 2> "$1.err" || rc=$?
	ELAPSED_MS=$((($(date +%s%N) - t0) / 1000000))
	check_judged "$1" "$rc"
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
