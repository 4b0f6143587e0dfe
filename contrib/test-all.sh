#!/usr/bin/env bash
# The full test suite, exactly as CI runs it (.ci/run calls this script).
# On a fresh Debian/Ubuntu machine, as root, it installs what is missing,
# starts a Docker engine and a real Kafka broker when none answers, builds
# scrc with warnings as errors, runs the unit tests, builds the language
# images, judges every profile's self-test program, runs the integration
# suite against the real engine and broker (a real Prometheus scraping a
# worker among it), the suites that judge through `scrc run` again with
# podman as the CLI,
# the cgroup v2 cases inside a user-mode-Linux guest (contrib/uml/),
# the simulator's language x outcome matrix and problems through a real worker,
# the compose stack (contrib/docker-compose.yml, its images built here: one
# runner judging the simulator's tables, then three sharing its load),
# the Debian package (built, lintian, installed in a fresh container, judging),
# a short benchmark (figures printed, never asserted) and `make distcheck`,
# then stops whatever it started. Any failure makes it exit non-zero.
#
# Environment: SCRC_SKIP_DISTCHECK=1 skips distcheck; KAFKA_PORT picks the
# broker port (default 9092); BATS_FLAGS is passed to bats.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# Debian's python3 carries the Kafka client (python3-confluent-kafka); a
# python3 earlier on PATH (pyenv, venv) may not.
PYTHON=${PYTHON:-/usr/bin/python3}
export PYTHON
cd "$top"

started_kafka=0
started_docker=0
worker_pid=
t_all=$(date +%s)
# Builds start uncached: one left by an earlier run would let the suite skip
# the very builds it means to exercise (each bats test has its own, too).
test_cache=$(mktemp -d /tmp/scrc-test-cache.XXXXXX)
export SCRC_CACHE_DIR=$test_cache/cache

phase_start() {
	phase_name=$1
	phase_t0=$(date +%s)
	printf '\n=== %s\n' "$phase_name"
}
phase_end() {
	printf '=== %s: %ss\n' "$phase_name" "$(( $(date +%s) - phase_t0 ))"
	timings+=("$(printf '%-28s %5ss' "$phase_name" "$(( $(date +%s) - phase_t0 ))")")
}
timings=()

cleanup() {
	status=$?
	set +e
	if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
		kill -TERM "$worker_pid"; wait "$worker_pid" 2>/dev/null
	fi
	if [ "$started_kafka" = 1 ]; then
		bash contrib/kafka/kafka.sh stop >/dev/null 2>&1
	fi
	if [ "$started_docker" = 1 ]; then
		bash contrib/docker-ensure.sh stop >/dev/null 2>&1
	fi
	rm -rf "$test_cache"
	printf '\n=== timings\n'
	for t in "${timings[@]}"; do printf '%s\n' "$t"; done
	printf '%-28s %5ss\n' total "$(( $(date +%s) - t_all ))"
	if [ "$status" -ne 0 ]; then
		printf '\ntest-all: FAILED in phase "%s" (exit %s)\n' "${phase_name:-?}" "$status"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

phase_start "dependencies"
bash contrib/install-deps.sh
phase_end

phase_start "docker engine"
if ! docker info >/dev/null 2>&1; then
	started_docker=1
fi
bash contrib/docker-ensure.sh start
phase_end

phase_start "build"
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt configure ]; then
	./bootstrap
fi
if [ ! -f Makefile ] || [ configure -nt Makefile ]; then
	./configure --enable-werror --prefix=/usr/local >/dev/null
fi
make -j2
phase_end

phase_start "unit tests"
make -j2 check || { cat test-suite.log 2>/dev/null; exit 1; }
phase_end

phase_start "simulator unit tests (pytest)"
"$PYTHON" -m pytest -q -p no:cacheprovider simulator/tests
phase_end

phase_start "language images"
make images
phase_end

phase_start "self-test (every language profile)"
# What an operator runs after an install: every profile judges its echo program.
SCRC_BOX="$top/scrc-box" SCRC_LANG_DIR="$top/lang" ./scrc --self-test
SCRC_BOX="$top/scrc-box" SCRC_LANG_DIR="$top/lang" ./scrc --list-languages
phase_end

phase_start "cgroup v2 guest (user-mode Linux)"
# c and python x every verdict, CPU and memory figures, OOM, the reserve and
# the memory-integrity cases, judged inside a cgroup v2 kernel (contrib/uml/).
timeout --kill-after=30 1800 bash contrib/uml/guest.sh ci
phase_end

phase_start "kafka broker"
if ! bash contrib/kafka/kafka.sh status >/dev/null 2>&1; then
	started_kafka=1
	bash contrib/kafka/kafka.sh start
fi
export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
phase_end

phase_start "integration tests (bats)"
# A background process holding bats's output open would hang it: bound it.
timeout --kill-after=30 2400 make check-integration BATS_FLAGS="${BATS_FLAGS:-}"
phase_end

phase_start "hostile suites in reused boxes (each submission in the boxes of the one before)"
timeout --kill-after=30 1200 make check-integration-reuse BATS_FLAGS="${BATS_FLAGS:-}"
phase_end

phase_start "podman as the CLI (judge, hostile, integrity, problems suites; a worker's gate on CLI calls; hostile again in reused boxes)"
# The matrix through podman judges one language per kind of image (static
# binary in the bare base, interpreter, JVM, Node, Go); the Docker run above
# judged all of them, and copying every image into podman's store would cost
# more than the check is worth. Images copied from the Docker engine when it
# has them (build-images.sh).
export SCRC_MATRIX_LANGUAGES="c cpp python java javascript go"
SCRC_DOCKER=podman bash contrib/images/build-images.sh scrc/base:bookworm \
	scrc/gcc:bookworm scrc/gxx:bookworm scrc/python:bookworm scrc/java:bookworm scrc/node:bookworm \
	scrc/go:bookworm
timeout --kill-after=30 2400 make check-integration-podman BATS_FLAGS="${BATS_FLAGS:-}"
SCRC_DOCKER=podman timeout --kill-after=30 1200 make check-integration-reuse \
	BATS_FLAGS="${BATS_FLAGS:-}"
unset SCRC_MATRIX_LANGUAGES
phase_end

phase_start "simulator matrix and problems (real broker)"
run_id="ci-$$-$RANDOM"
SCRC_LANG_DIR="$top/lang" SCRC_BOX="$top/scrc-box" RUNNER_MAX_PARALLEL=2 \
	KAFKA_TOPIC="scripts-$run_id" KAFKA_RESULTS_TOPIC="results-$run_id" \
	KAFKA_GROUP_ID="scrc-$run_id" SCRC_STATS_INTERVAL=0 \
	./scrc worker >"$top/worker-ci.log" 2>&1 &
worker_pid=$!
KAFKA_BROKER="$KAFKA_BROKERS" KAFKA_TOPIC="scripts-$run_id" \
	KAFKA_RESULTS_TOPIC="results-$run_id" RESULT_WAIT_TIMEOUT_SECONDS=600 \
	RESULT_CONSUMER_LOG_PATH="$top/simulator-ci.log" \
	"$PYTHON" -m simulator.main || { tail -50 "$top/worker-ci.log"; exit 1; }
kill -TERM "$worker_pid"; wait "$worker_pid" || true
worker_pid=
phase_end

phase_start "compose stack (single runner, then three sharing the partitions)"
# contrib/docker-compose.yml for real: its images built here, a runner in a
# container judging the simulator's matrix for a language per image, then
# three replicas splitting a run between them; everything torn down after.
timeout --kill-after=60 1200 bash contrib/compose-test.sh
phase_end

phase_start "debian package (build, lintian, install in a fresh container, judge)"
timeout --kill-after=30 900 bash contrib/deb-test.sh
phase_end

phase_start "benchmark (quick, figures only)"
"$PYTHON" -m simulator.bench --quick --scrc "$top/scrc" --brokers "$KAFKA_BROKERS" \
	--out "$top/bench-out"
# One interactive round trip, program and interactor in two boxes, beside
# the same two programs on host pipes.
SCRC_BOX="$top/scrc-box" SCRC_LANG_DIR="$top/lang" "$PYTHON" contrib/bench/interact-bench.py \
	--scrc "$top/scrc" --rounds 10000 --repeat 1
phase_end

if [ "${SCRC_SKIP_DISTCHECK:-0}" != 1 ]; then
	phase_start "make distcheck"
	make distcheck >distcheck.log 2>&1 || { tail -60 distcheck.log; exit 1; }
	tail -4 distcheck.log
	phase_end
fi

printf '\ntest-all: every phase passed\n'
