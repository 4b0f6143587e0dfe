#!/usr/bin/env bats
# metrics.bats - the worker's /metrics and /healthz (SCRC_METRICS_LISTEN)
# against a real Prometheus (Debian's prometheus package, started here on
# loopback with its own config and storage, killed at teardown), the real
# broker (KAFKA_BROKERS) and the real Docker engine. Prometheus scrapes the
# worker every second; the test asks Prometheus's HTTP API, not the worker,
# whether the counters match what was judged. Python and C submissions only.

load helpers

setup() {
	if ! command -v prometheus >/dev/null; then
		echo "prometheus not found: bash contrib/install-deps.sh prometheus" >&2
		return 1
	fi
	command -v curl >/dev/null || { echo "curl not found" >&2; return 1; }
	worker_suite_setup
	WORKER_PID=
	PROM_PID=
	STOPPED_BROKER=
	# The docker CLI the worker runs: the real one, or, once $W/docker-dead
	# exists, the real one pointed at a socket nobody listens on.
	cat >"$W/docker" <<EOF
#!/bin/bash
if [ -e "$W/docker-dead" ]; then
	exec "$(command -v "$DOCKER")" -H unix://$W/no-such-docker.sock "\$@"
fi
exec "$(command -v "$DOCKER")" "\$@"
EOF
	chmod +x "$W/docker"
}

teardown() {
	if [ -n "$STOPPED_BROKER" ]; then
		kill -CONT "$STOPPED_BROKER" 2>/dev/null || true
	fi
	if [ -n "$WORKER_PID" ]; then
		kill -KILL "$WORKER_PID" 2>/dev/null || true
		wait "$WORKER_PID" 2>/dev/null || true
		# Boxes of a judge killed half-way: removed like after a crash.
		"$SCRC" --cleanup >/dev/null 2>&1 || true
	fi
	if [ -n "$PROM_PID" ]; then
		kill -TERM "$PROM_PID" 2>/dev/null || true
		wait "$PROM_PID" 2>/dev/null || true
	fi
}

# free_port: print a TCP port of 127.0.0.1 that nothing listens on now.
free_port() {
	$PYTHON -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_until PID SECONDS CMD...: runs CMD every 0.1 s until it succeeds
# (status 0); status 1 once PID (what should make it succeed) is gone or
# SECONDS have passed.
wait_until() {
	local pid=$1 n=$(($2 * 10)) i
	shift 2
	for ((i = 0; i < n; i++)); do
		"$@" && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# metrics_port: the port the worker's log says it serves metrics on, if any.
metrics_port() {
	sed -n 's/.*serving \/metrics and \/healthz on .* (port \([0-9]*\)).*/\1/p' "$W/worker.log"
}

# serving: true once the worker's log names its metrics port.
serving() {
	[ -n "$(metrics_port)" ]
}

# judging: true while the worker's /metrics says one judge runs.
judging() {
	curl -s "http://127.0.0.1:$MPORT/metrics" | grep -qx 'scrc_running_judges 1'
}

# start_worker [VAR=VALUE...]: `scrc worker` on this test's topics with
# metrics on a port of its choosing (read back from its log into MPORT),
# JSON log lines in $W/worker.log, the wrapper above as its docker CLI.
start_worker() {
	env KAFKA_BROKERS="$KAFKA_BROKERS" KAFKA_TOPIC="$T" KAFKA_RESULTS_TOPIC="$R" \
		KAFKA_GROUP_ID="$G" SCRC_WORKER_NAME=metrics-w1 SCRC_DOCKER="$W/docker" \
		SCRC_METRICS_LISTEN=127.0.0.1:0 SCRC_LOG_FORMAT=json "$@" \
		"$SCRC" worker >"$W/worker.out" 2>"$W/worker.log" &
	WORKER_PID=$!
	if ! wait_until "$WORKER_PID" 10 serving; then
		echo "the worker did not start serving metrics:" >&2
		cat "$W/worker.log" >&2
		return 1
	fi
	MPORT=$(metrics_port)
}

# start_prometheus: Prometheus scraping the worker every second, on a free
# port (PPORT), with storage in $W; waits until it is ready.
start_prometheus() {
	PPORT=$(free_port)
	cat >"$W/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: scrc
    static_configs:
      - targets: ['127.0.0.1:$MPORT']
EOF
	# Not holding bats' descriptors (fd 3 and up), or bats waits for it.
	prometheus --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/prometheus-data" \
		--web.listen-address="127.0.0.1:$PPORT" --log.level=warn \
		>"$W/prometheus.log" 2>&1 </dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	PROM_PID=$!
	if ! wait_until "$PROM_PID" 30 curl -sf -o /dev/null "http://127.0.0.1:$PPORT/-/ready"
	then
		echo "Prometheus did not become ready on 127.0.0.1:$PPORT:" >&2
		cat "$W/prometheus.log" >&2
		return 1
	fi
}

# prom_query EXPR: the instant query's result through Prometheus's HTTP API,
# one "label=value,... VALUE" line per series, sorted; fails on an API error.
prom_query() {
	curl -sf --data-urlencode "query=$1" "http://127.0.0.1:$PPORT/api/v1/query" |
		$PYTHON -c '
import json, sys
d = json.load(sys.stdin)
if d.get("status") != "success":
    sys.exit("query failed: %s" % d)
lines = []
for s in d["data"]["result"]:
    m = {k: v for k, v in s["metric"].items() if k not in ("job", "instance", "__name__")}
    lines.append("%s %s" % (",".join("%s=%s" % kv for kv in sorted(m.items())), s["value"][1]))
print("\n".join(sorted(lines)))
'
}

# prom_wait EXPR WANT SECONDS: waits until prom_query EXPR prints exactly
# WANT (Prometheus scrapes every second; the worker may still be busy).
prom_wait() {
	local i got
	for ((i = 0; i < $3 * 2; i++)); do
		got=$(prom_query "$1") && [ "$got" = "$2" ] && return 0
		sleep 0.5
	done
	echo "Prometheus: $1" >&2
	echo "  wanted: $(echo "$2" | tr '\n' ';')" >&2
	echo "  got:    $(echo "$got" | tr '\n' ';')" >&2
	echo "  scrapes: $(curl -s "http://127.0.0.1:$PPORT/api/v1/targets" | head -c 600)" >&2
	return 1
}

# healthz_wait CODE SECONDS: waits until /healthz answers CODE; its body in HEALTH.
healthz_wait() {
	local i code
	for ((i = 0; i < $2 * 5; i++)); do
		code=$(curl -s -o "$W/healthz" -w '%{http_code}' --max-time 5 \
			"http://127.0.0.1:$MPORT/healthz") || code=000
		HEALTH=$(cat "$W/healthz" 2>/dev/null)
		[ "$code" = "$1" ] && return 0
		sleep 0.2
	done
	echo "/healthz answered $code ($HEALTH), not $1, for $2 s" >&2
	return 1
}

@test "metrics: Prometheus scrapes the worker; its counters match what was judged" {
	create_topic "$T" 2
	create_topic "$R" 1
	{
		$KT gen 3 --prefix py-ok
		$KT gen 1 --lang c --prefix c-ok
		for i in 1 2; do
			echo '{"id":"py-wa-'$i'","language":"python","source":"print(5)","tests":[{"input":"","expected_output":"4\n"}]}'
		done
		echo '{"id":"py-re","language":"python","source":"raise SystemExit(3)","tests":[{"input":"","expected_output":""}]}'
		# The same checker twice: built once (a cache miss), then reused (a hit).
		for i in 1 2; do
			echo '{"id":"py-chk-'$i'","language":"python","source":"print(4)","tests":[{"input":"","expected_output":"4\n"}],"checker":{"language":"python","source":"import sys\nsys.exit(0 if open(sys.argv[2]).read().split() == open(sys.argv[3]).read().split() else 1)\n"}}'
		done
		echo '{"id":"bad-lang","language":"cobol-99","source":"x"}'
		echo 'this is not json'
	} | $KT produce "$T"
	# No judges started ahead: the boxes counted below are the submissions'
	# own (how many spares come and go depends on timing; worker.bats
	# counts what they do).
	start_worker RUNNER_MAX_PARALLEL=2 SCRC_CACHE_DIR="$W/cache" SCRC_WARM_JUDGES=0
	start_prometheus
	wait_judged "$W/worker.log" 11 180 || { tail -n 20 "$W/worker.log"; false; }

	# Every submission by language and status, as Prometheus stored it.
	prom_wait 'sum by (language, status) (scrc_submissions_judged_total{job="scrc"})' \
'language=c,status=OK 1
language=cobol-99,status=IE 1
language=invalid,status=IE 1
language=python,status=OK 5
language=python,status=RE 1
language=python,status=WA 2' 30
	# ...and the broker has the same verdicts.
	$KT collect "$R" --count 11 --all --timeout 30 >"$W/res.jsonl"
	$PYTHON - "$W/res.jsonl" <<'EOF'
import collections, json, sys
res = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
got = collections.Counter(r["status"] for r in res)
assert got == {"OK": 6, "WA": 2, "RE": 1, "IE": 2}, got
EOF
	# The checker built once and found once. Submissions with a build step
	# (Python's syntax check, C's compiler): 5 distinct sources built (py-ok,
	# py-wa, py-re, py-chk, c-ok), the 4 repeats found (2 py-ok, py-wa, py-chk),
	# through the image ids the worker listed for its judges.
	prom_wait 'scrc_build_cache_misses_total{job="scrc",kind="setter"}' 'kind=setter 1' 10
	prom_wait 'scrc_build_cache_hits_total{job="scrc",kind="setter"}' 'kind=setter 1' 10
	prom_wait 'scrc_build_cache_misses_total{job="scrc",kind="submission"}' 'kind=submission 5' 10
	prom_wait 'scrc_build_cache_hits_total{job="scrc",kind="submission"}' 'kind=submission 4' 10
	# Boxes: a run box for each of the 8 Python submissions, a build and a
	# run box for the C one, a checker box for each of the 2 checked ones
	# and a build box for the checker, built once: 8 + 2 + 2 + 1, all gone.
	prom_wait 'scrc_containers_started_total{job="scrc"}' ' 13' 10
	prom_wait 'scrc_containers_removed_total{job="scrc"}' ' 13' 10
	prom_wait 'scrc_warm_boxes_total{job="scrc"}' 'outcome=taken 0
outcome=unused 0' 10
	# The 10 that reached a judge (which refuses cobol-99) have a judge time;
	# all 11 a queue time (the worker answers the one that is not JSON itself).
	prom_wait 'scrc_judge_duration_seconds_count{job="scrc"}' ' 10' 10
	prom_wait 'scrc_queue_to_result_seconds_count{job="scrc"}' ' 11' 10
	prom_wait 'scrc_queue_to_result_seconds_bucket{job="scrc",le="+Inf"}' 'le=+Inf 11' 10
	prom_wait 'scrc_slots{job="scrc"}' ' 2' 10
	prom_wait 'scrc_in_flight_submissions{job="scrc"}' ' 0' 10
	prom_wait 'scrc_infra_failures_total{job="scrc"} + scrc_retries_total{job="scrc"}' ' 0' 10
	# Once the offsets are committed, nothing is left behind on either partition.
	prom_wait "scrc_consumer_lag{job=\"scrc\",topic=\"$T\"}" \
"partition=0,topic=$T 0
partition=1,topic=$T 0" 30
	prom_wait 'up{job="scrc"}' ' 1' 10
	# Kept for whoever reads the run (bats --no-tempdir-cleanup).
	curl -s "http://127.0.0.1:$MPORT/metrics" >"$W/metrics.txt"
	curl -s --data-urlencode 'query=sum by (language, status) (scrc_submissions_judged_total{job="scrc"})' \
		"http://127.0.0.1:$PPORT/api/v1/query" >"$W/judged.json"

	# Every log line is one JSON object with the text line's fields.
	$PYTHON - "$W/worker.log" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert set(o) == {"time", "program", "pid", "level", "message"}, o
    assert o["level"] in ("debug", "info", "warn", "error"), o
    n += "judged id=" in o["message"]
assert n == 11, n
EOF
}

@test "metrics: /healthz fails while Docker is unreachable and while the broker does not answer" {
	create_topic "$T" 1
	create_topic "$R" 1
	start_worker
	start_prometheus
	healthz_wait 200 30
	[ "$HEALTH" = "ok" ]

	# The docker CLI now talks to a dead socket: a real failure of the CLI.
	touch "$W/docker-dead"
	healthz_wait 503 30
	[[ "$HEALTH" == "unhealthy: docker: "* ]] || { echo "$HEALTH"; false; }
	prom_wait 'scrc_docker_up{job="scrc"}' ' 0' 30
	rm -f "$W/docker-dead"
	healthz_wait 200 30
	prom_wait 'scrc_docker_up{job="scrc"}' ' 1' 30

	# The broker stopped (SIGSTOP): no metadata answer within the probe's wait.
	STOPPED_BROKER=$(cat "${SCRC_KAFKA_HOME:-/var/cache/scrc-kafka}/run/${KAFKA_BROKERS##*:}/pid")
	kill -STOP "$STOPPED_BROKER"
	healthz_wait 503 30
	[[ "$HEALTH" == "unhealthy: kafka: "* ]] || { echo "$HEALTH"; false; }
	kill -CONT "$STOPPED_BROKER"
	STOPPED_BROKER=
	healthz_wait 200 60
}

@test "metrics: /healthz fails once the worker stops consuming (draining after SIGTERM)" {
	local rc=0
	create_topic "$T" 1
	create_topic "$R" 1
	# Runs into its wall limit (5 s): the drain has something to wait for;
	# the two behind it wait for the one slot.
	{
		echo '{"id":"slow","language":"python","source":"import time\ntime.sleep(30)","tests":[{"input":"","expected_output":""}]}'
		$KT gen 2 --prefix behind
	} | $KT produce "$T"
	start_worker
	healthz_wait 200 30
	# Straight from the worker this time: the judge is running, and nothing
	# is committed yet, so all three records are lag.
	wait_until "$WORKER_PID" 30 judging
	curl -s "http://127.0.0.1:$MPORT/metrics" >"$W/metrics.txt"
	grep -qxF "scrc_consumer_lag{topic=\"$T\",partition=\"0\"} 3" "$W/metrics.txt" ||
		{ grep lag "$W/metrics.txt"; false; }
	kill -TERM "$WORKER_PID"
	healthz_wait 503 5
	[ "$HEALTH" = "unhealthy: not consuming: the worker is shutting down" ] ||
		{ echo "$HEALTH"; false; }
	wait "$WORKER_PID" || rc=$?
	WORKER_PID=
	[ "$rc" -eq 0 ]
	grep -q 'judged id=slow lang=python status=TL' "$W/worker.log"
}
