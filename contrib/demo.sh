#!/usr/bin/env bash
# demo.sh - the whole language x outcome matrix through one real worker.
#
# Called by `make demo` with SCRC (the built binary), SCRC_LANG_DIR, SCRC_BOX
# and SCRC_SRCDIR set. Makes sure a Docker engine answers and the language
# images exist, starts `$SCRC worker --embedded-kafka` (librdkafka's
# in-process Kafka, so no broker is needed) with RUNNER_MAX_PARALLEL=2,
# reads the bootstrap address it prints, runs the simulator against it,
# shows the verdict table, stops the worker and exits with the simulator's
# status (0: every verdict as expected).
#
# Environment: PYTHON (a Python with confluent_kafka; default
# /usr/bin/python3), RUNNER_MAX_PARALLEL (2), DEMO_RESULT_TIMEOUT (seconds
# without a new result before giving up; 300), DEMO_TIMEOUT (hard cap on
# the simulator run; 1800), DEMO_LOG_DIR (where worker.log and consumer.log
# go; default a fresh temporary directory, kept when the demo fails),
# SCRC_DEMO_SKIP_SETUP=1 (do not touch the Docker engine or images; for
# tests with a stand-in worker).
set -uo pipefail

top=${SCRC_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
scrc=${SCRC:-$top/scrc}
python=${PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=python3
result_timeout=${DEMO_RESULT_TIMEOUT:-300}
hard_timeout=${DEMO_TIMEOUT:-1800}
parallel=${RUNNER_MAX_PARALLEL:-2}
if [ -n "${DEMO_LOG_DIR:-}" ]; then
	logdir=$DEMO_LOG_DIR
	mkdir -p "$logdir" || exit 1
	own_logdir=0
else
	logdir=$(mktemp -d "${TMPDIR:-/tmp}/scrc-demo.XXXXXX") || exit 1
	own_logdir=1
fi
worker_log=$logdir/worker.log
worker_pid=
sim_pid=
status=1

say() { printf 'demo: %s\n' "$*" >&2; }

stop_worker() {
	[ -n "$worker_pid" ] || return 0
	if kill -0 "$worker_pid" 2>/dev/null; then
		kill -TERM "$worker_pid" 2>/dev/null
		# Give it time to finish in-flight submissions and remove containers.
		for _ in $(seq 1 300); do
			kill -0 "$worker_pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$worker_pid" 2>/dev/null; then
			say "worker $worker_pid ignored SIGTERM for 30 s; killing it"
			kill -KILL "$worker_pid" 2>/dev/null
		fi
	fi
	wait "$worker_pid" 2>/dev/null
	worker_pid=
}

cleanup() {
	rc=$?
	trap - EXIT INT TERM
	if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
		kill -TERM "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
	fi
	stop_worker
	if [ "$rc" -ne 0 ]; then
		if [ -s "$worker_log" ]; then
			say "last lines of the worker log ($worker_log):"
			tail -n 30 "$worker_log" >&2
		fi
		say "logs kept in $logdir"
	elif [ "$own_logdir" = 1 ]; then
		rm -rf "$logdir"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -x "${scrc%% *}" ] && ! command -v "${scrc%% *}" >/dev/null 2>&1; then
	say "no scrc binary at $scrc (build it with make, or set SCRC)"
	exit 2
fi
if ! "$python" -c 'import confluent_kafka' 2>/dev/null; then
	say "$python cannot import confluent_kafka (apt-get install python3-confluent-kafka, or set PYTHON)"
	exit 2
fi

if [ -z "${SCRC_DEMO_SKIP_SETUP:-}" ]; then
	say "checking the Docker engine"
	bash "$top/contrib/docker-ensure.sh" start || exit 1
	say "checking the language images"
	SCRC_LANG_DIR="${SCRC_LANG_DIR:-$top/lang}" bash "$top/contrib/images/build-images.sh" ||
		exit 1
fi

say "starting $scrc worker --embedded-kafka (RUNNER_MAX_PARALLEL=$parallel)"
# $scrc may carry arguments (a wrapper command): split on blanks on purpose.
# shellcheck disable=SC2086
RUNNER_MAX_PARALLEL=$parallel $scrc worker --embedded-kafka >"$worker_log" 2>&1 &
worker_pid=$!

bootstrap=
for _ in $(seq 1 600); do
	bootstrap=$(sed -n 's/.*embedded kafka bootstrap:[[:space:]]*\([^[:space:]]*\).*/\1/p' \
		"$worker_log" | head -n 1)
	[ -n "$bootstrap" ] && break
	if ! kill -0 "$worker_pid" 2>/dev/null; then
		wait "$worker_pid"
		say "the worker exited (status $?) before printing its bootstrap address"
		worker_pid=
		exit 1
	fi
	sleep 0.1
done
if [ -z "$bootstrap" ]; then
	say "no 'embedded kafka bootstrap:' line from the worker within 60 s"
	exit 1
fi
say "worker $worker_pid is up; embedded Kafka at $bootstrap"

cd "$top" || exit 1
# The simulator prints one line per result, then the verdict table. It runs
# in the background so that a signal to this script is handled at once
# (bash runs traps only between foreground commands, but interrupts `wait`).
timeout --signal=TERM --kill-after=30 "$hard_timeout" \
	"$python" -m simulator.main --broker "$bootstrap" \
	--wait-timeout "$result_timeout" --log "$logdir/consumer.log" &
sim_pid=$!
wait "$sim_pid"
status=$?
sim_pid=
if [ "$status" -eq 124 ]; then
	say "the simulator did not finish within $hard_timeout s"
fi

stop_worker
if [ "$status" -eq 0 ]; then
	say "every verdict as expected"
else
	say "FAILED (simulator status $status)"
fi
exit "$status"
