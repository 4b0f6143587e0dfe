#!/usr/bin/env bats
# worker.bats - the Kafka worker daemon (`scrc worker`) against the real
# broker (contrib/kafka/kafka.sh) and the real Docker engine, with the real
# judge (`scrc run --worker-child`). Every test uses its own topics and
# consumer group. Bulk tests use Python submissions: the fastest to judge.

load helpers

setup() {
	worker_suite_setup
	WORKER_PIDS=()
}

teardown() {
	local pid
	for pid in "${WORKER_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
}

# start_worker NAME [VAR=VALUE...]: runs `scrc worker` in the background on
# this test's topics; its stderr goes to $W/NAME.log, its pid to WORKER_PID.
start_worker() {
	local name=$1
	shift
	env KAFKA_BROKERS="$KAFKA_BROKERS" KAFKA_TOPIC="$T" KAFKA_RESULTS_TOPIC="$R" \
		KAFKA_GROUP_ID="$G" SCRC_WORKER_NAME="$name" SCRC_STATS_INTERVAL=10s "$@" \
		"$SCRC" worker >"$W/$name.out" 2>"$W/$name.log" &
	WORKER_PID=$!
	WORKER_PIDS+=("$WORKER_PID")
}

# wait_exit PID SECONDS: waits for the worker (a child of this shell: do not
# call it through `run`) to exit and returns its exit status; 255 when it is
# still running after SECONDS.
wait_exit() {
	local pid=$1 i
	for ((i = 0; i < $2 * 10; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			return $?
		fi
		sleep 0.1
	done
	echo "worker $pid still running after $2 s" >&2
	return 255
}

# results_check FILE PYTHON-CODE: runs the code with `res` = list of result
# records (dicts) and `ids` = Counter of their ids; an AssertionError fails.
results_check() {
	$PYTHON - "$1" "$2" <<'EOF'
import collections, json, sys
res = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ids = collections.Counter(r.get("id") for r in res)
try:
    exec(sys.argv[2])
except AssertionError as e:
    sys.exit("check failed: %s\n%s" % (e, "\n".join(json.dumps(r)[:300] for r in res[:20])))
EOF
}

# broker_restart: stops the broker and starts it again on the same data
# (kafka.sh stop would delete the data, so the broker process is restarted
# here with its own command line).
broker_restart() {
	local state pid cmd i
	state=${SCRC_KAFKA_HOME:-/var/cache/scrc-kafka}/run/${KAFKA_BROKERS##*:}
	pid=$(cat "$state/pid") || { echo "no broker pid in $state" >&2; return 1; }
	mapfile -d '' cmd < "/proc/$pid/cmdline" || return 1
	kill -TERM "$pid"
	for ((i = 0; i < 600; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && { echo "broker $pid did not stop" >&2; return 1; }
	sleep "${1:-5}"
	# Not holding bats' descriptors (fd 3 and up), or bats waits for it.
	setsid nohup "${cmd[@]}" >>"$W/broker-restart.log" 2>&1 </dev/null \
		3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	echo $! > "$state/pid"
	for ((i = 0; i < 600; i++)); do
		kcat -b "$KAFKA_BROKERS" -L -m 3 >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "broker did not come back" >&2
	return 1
}

@test "worker: round trip for every language, id fallbacks, SCRIPT_EXPECTED exits 0" {
	create_topic "$T" 1
	create_topic "$R" 1
	for lang in python c cpp go java javascript; do
		$KT gen 1 --lang "$lang" --prefix "rt-$lang"
	done | $KT produce "$T"
	# No id: the key is the id; no id and no key: topic:partition:offset.
	echo '{"language":"python","source":"print(input())","tests":[{"input":"k\n","expected_output":"k\n"}]}' |
		$KT produce "$T" --key-mode the-key
	echo '{"language":"python","source":"print(1)"}' | $KT produce "$T" --key-mode none

	start_worker w1 RUNNER_MAX_PARALLEL=2 SCRIPT_EXPECTED=8
	wait_exit "$WORKER_PID" 240 || { cat "$W/w1.log"; false; }
	$KT collect "$R" --count 8 --all --timeout 30 >"$W/res.jsonl"
	results_check "$W/res.jsonl" '
assert len(res) == 8, len(res)
for lang in ["python", "c", "cpp", "go", "java", "javascript"]:
    r = [x for x in res if x["id"] == "rt-%s-0" % lang]
    assert len(r) == 1, lang
    r = r[0]
    assert r["status"] == "OK", r
    assert r["_key"] == r["id"]
    for f in ["id", "status", "exit_code", "stdout", "stderr", "duration_ms", "error",
              "timestamp", "tests"]:
        assert f in r, f
    assert r["stdout"] == "1\n" and r["exit_code"] == 0 and r["error"] == ""
    t = r["tests"][0]
    for f in ["number", "status", "exit_code", "duration_ms", "stdout", "stderr", "input",
              "expected_output", "error"]:
        assert f in t, f
    assert t["number"] == 1 and t["status"] == "OK" and t["input"] == "0 1\n"
    assert r["worker"] == "w1", r.get("worker")
k = [x for x in res if x["id"] == "the-key"]
assert len(k) == 1 and k[0]["status"] == "OK" and k[0]["_key"] == "the-key", k
tpo = [x for x in res if x["id"].endswith(":0:7")]
assert len(tpo) == 1 and tpo[0]["status"] == "OK", [x["id"] for x in res]
'
	grep -q "\"$T:0:7\"" "$W/res.jsonl"
	grep -q 'answered SCRIPT_EXPECTED=8' "$W/w1.log"
	run $KT committed "$T" "$G"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "worker: bad records answer IE and the worker lives on; done exits 0 and is committed" {
	create_topic "$T" 1
	create_topic "$R" 1
	{
		echo 'this is not json'
		echo '{"id":"bad-nosrc","language":"python"}'
		echo '{"id":"bad-lang","language":"cobol-99","source":"x"}'
		echo '{"id":"bad-limits","language":"python","source":"print(1)","limits":{"time_limit_ms":-5}}'
		echo '[1,2,3]'
		$KT gen 2 --prefix good
		echo '{"type":"done"}'
		$KT gen 1 --prefix after-done
	} | $KT produce "$T" --key-mode none
	start_worker w1 RUNNER_MAX_PARALLEL=2
	wait_exit "$WORKER_PID" 120 || { cat "$W/w1.log"; false; }
	grep -q '`done` record' "$W/w1.log"
	$KT collect "$R" --count 7 --all --timeout 30 >"$W/res.jsonl"
	results_check "$W/res.jsonl" '
assert len(res) == 7, len(res)
by = {r["id"]: r for r in res}
for i in ["bad-nosrc", "bad-lang", "bad-limits"]:
    assert by[i]["status"] == "IE" and by[i]["error"], by[i]
ie = [r for r in res if r["status"] == "IE"]
assert len(ie) == 5, len(ie)
assert all(r["error"] for r in ie)
assert by["good-0"]["status"] == "OK" and by["good-1"]["status"] == "OK"
assert "after-done-0" not in by
'
	# Everything up to and including `done` is committed; the record after
	# it is left for the next worker.
	run $KT committed "$T" "$G"
	[ "$status" -eq 1 ]
	[ "$output" = "0 8 9" ]
}

@test "worker: 200 submissions at RUNNER_MAX_PARALLEL=4 are each answered exactly once" {
	create_topic "$T" 4
	create_topic "$R" 1
	$KT gen 200 --prefix bulk | $KT produce "$T"
	start_worker w1 RUNNER_MAX_PARALLEL=4 SCRIPT_EXPECTED=200
	wait_exit "$WORKER_PID" 300 || { tail -n 30 "$W/w1.log"; false; }
	$KT collect "$R" --count 200 --all --timeout 60 >"$W/res.jsonl"
	results_check "$W/res.jsonl" '
assert len(ids) == 200, len(ids)
assert set(ids.values()) == {1}, [i for i, n in ids.items() if n != 1]
assert all(i == "bulk-%d" % n for n, i in enumerate(sorted(ids, key=lambda s: int(s[5:]))))
bad = [r for r in res if r["status"] != "OK"]
assert not bad, bad[:3]
'
	run $KT committed "$T" "$G"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	# At most 4 judges ran at once: the log never shows more.
	! grep -E 'running=([5-9]|[1-9][0-9])' "$W/w1.log"
	$KT latency "$T" "$R" >&3
}

@test "worker: kill -9 mid-batch, restart: every id answered, offsets cover the topic" {
	create_topic "$T" 1
	create_topic "$R" 1
	{ $KT gen 30 --prefix k9; echo '{"type":"done"}'; } | $KT produce "$T" --key-mode none
	start_worker w1 RUNNER_MAX_PARALLEL=3
	wait_judged "$W/w1.log" 8 120
	# Let at least one automatic commit (every 1 s) land first.
	local i c=
	for ((i = 0; i < 50; i++)); do
		c=$($KT committed "$T" "$G" | awk '{print $2}') || true
		[ "${c:--1}" -gt 0 ] && break
		sleep 0.2
	done
	[ "${c:--1}" -gt 0 ]
	kill -KILL "$WORKER_PID"
	wait "$WORKER_PID" || true
	start_worker w2 RUNNER_MAX_PARALLEL=3
	wait_exit "$WORKER_PID" 180 || { tail -n 30 "$W/w2.log"; false; }
	$KT collect "$R" --count 30 --all --timeout 30 >"$W/res.jsonl"
	results_check "$W/res.jsonl" '
assert set(ids) == {"k9-%d" % i for i in range(30)}, sorted(ids)
assert all(r["status"] == "OK" for r in res)
'
	# The second worker started from the first one's commit, not from 0.
	[ "$(grep -c 'judged id=' "$W/w2.log")" -le $((30 - c)) ]
	run $KT committed "$T" "$G"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$output" = "0 31 31" ]
}

@test "worker: two workers share a 4-partition topic; one dies, the other finishes" {
	create_topic "$T" 4
	create_topic "$R" 1
	$KT gen 48 --prefix two | $KT produce "$T"
	# wb starts alone: it holds all four partitions and keeps them paused
	# while busy. The two it hands to wa come back to it after wa dies,
	# when it is idle: librdkafka keeps a partition's pause across a revoke
	# and a re-assignment, so they must be resumed (a CI run saw wb stall
	# with 16 records unanswered when this order happened by chance).
	start_worker wb RUNNER_MAX_PARALLEL=2
	local b=$WORKER_PID
	wait_judged "$W/wb.log" 2 120
	start_worker wa RUNNER_MAX_PARALLEL=2
	local a=$WORKER_PID
	wait_judged "$W/wa.log" 3 120
	kill -KILL "$a"
	wait "$a" || true
	$KT collect "$R" --count 48 --timeout 150 >"$W/res.jsonl" || { tail -n 20 "$W/wb.log"; false; }
	results_check "$W/res.jsonl" '
assert set(ids) == {"two-%d" % i for i in range(48)}, len(ids)
assert {r["worker"] for r in res} == {"wa", "wb"}
'
	# The survivor takes over the dead worker's partitions, once the group
	# has noticed (session.timeout.ms, 10 s), and answers again what that
	# worker had answered but not committed: the results above may all be
	# in before then, so wait for the commits to reach the end.
	local i
	for ((i = 0; i < 120; i++)); do
		$KT committed "$T" "$G" >"$W/committed.txt" 2>&1 && break
		sleep 1
	done
	[ "$(grep -c 'kafka: assigned' "$W/wb.log")" -ge 2 ]
	kill -TERM "$b"
	wait_exit "$b" 60
	grep -q 'signal 15' "$W/wb.log"
	run $KT committed "$T" "$G"
	[ "$status" -eq 0 ] || { echo "$output"; tail -n 30 "$W/wb.log"; false; }
}

@test "worker: broker stopped and started mid-batch: everything is answered" {
	create_topic "$T" 2
	create_topic "$R" 1
	$KT gen 24 --prefix brk | $KT produce "$T"
	start_worker w1 RUNNER_MAX_PARALLEL=2 SCRIPT_EXPECTED=24
	wait_judged "$W/w1.log" 4 120
	broker_restart 8
	wait_exit "$WORKER_PID" 240 || { tail -n 40 "$W/w1.log"; false; }
	grep -q 'brokers down' "$W/w1.log"
	$KT collect "$R" --count 24 --all --timeout 60 >"$W/res.jsonl"
	results_check "$W/res.jsonl" '
assert set(ids) == {"brk-%d" % i for i in range(24)}, sorted(ids)
assert all(r["status"] == "OK" for r in res)
'
	run $KT committed "$T" "$G"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
}

@test "worker: SIGTERM drains in-flight work, commits and exits 0" {
	create_topic "$T" 1
	create_topic "$R" 1
	$KT gen 6 --prefix term --kind sleep | $KT produce "$T"
	start_worker w1 RUNNER_MAX_PARALLEL=2
	wait_judged "$W/w1.log" 1 120
	kill -TERM "$WORKER_PID"
	wait_exit "$WORKER_PID" 90
	grep -q 'draining' "$W/w1.log"
	! grep -q 'abandoning' "$W/w1.log"
	n=$(grep -c 'judged id=' "$W/w1.log")
	[ "$n" -lt 6 ]
	# What it judged is committed; nothing else.
	run $KT committed "$T" "$G"
	[ "$output" = "0 $n 6" ]
}

@test "worker: embedded kafka prints its bootstrap and judges what an outside client sends" {
	env KAFKA_TOPIC=emb KAFKA_RESULTS_TOPIC=emb-results "$SCRC" worker --embedded-kafka \
		>"$W/emb.out" 2>"$W/emb.log" &
	WORKER_PIDS+=("$!")
	local pid=$! i bs=
	for ((i = 0; i < 100; i++)); do
		bs=$(sed -n 's/^scrc: embedded kafka bootstrap: //p' "$W/emb.out")
		[ -n "$bs" ] && break
		sleep 0.1
	done
	[ -n "$bs" ]
	grep -q "embedded kafka bootstrap: $bs" "$W/emb.log"
	# No "done" record: the in-process cluster lives only as long as the
	# worker, and a worker that ended at "done" could take the results
	# with it before the client read them. It is stopped once they are read.
	$KT gen 2 --prefix emb | KAFKA_BROKERS=$bs $KT produce emb
	KAFKA_BROKERS=$bs $KT collect emb-results --count 2 --timeout 60 >"$W/res.jsonl"
	results_check "$W/res.jsonl" '
assert set(ids) == {"emb-0", "emb-1"} and all(r["status"] == "OK" for r in res)
'
	kill -TERM "$pid"
	wait_exit "$pid" 30
}

@test "worker: docker unreachable: retried with backoff, then IE naming the cause, never a verdict" {
	create_topic "$T" 1
	create_topic "$R" 1
	$KT gen 2 --prefix nodocker | $KT produce "$T" --key-mode none
	# The engine answers nothing at this socket; the worker itself starts
	# anyway (a daemon down at start-up must not stop the service).
	start_worker w1 DOCKER_HOST=unix:///nonexistent/docker.sock SCRC_INFRA_RETRIES=1 \
		SCRIPT_EXPECTED=2
	wait_exit "$WORKER_PID" 180 || { cat "$W/w1.log"; false; }
	$KT collect "$R" --count 2 --all --timeout 30 >"$W/res.jsonl"
	results_check "$W/res.jsonl" '
assert len(res) == 2, len(res)
for r in res:
    assert r["status"] == "IE", r
    assert "docker" in r["error"].lower() or "container" in r["error"].lower(), r["error"]
'
	# One retry each: both attempts failed before the IE answer.
	[ "$(grep -c 'attempt 2/2 failed: infrastructure failure' "$W/w1.log")" -eq 2 ] ||
		{ cat "$W/w1.log"; false; }
	[ "$(grep -c 'status=IE .*attempts=2' "$W/w1.log")" -eq 2 ] || { cat "$W/w1.log"; false; }
	run $KT committed "$T" "$G"
	[ "$output" = "0 2 2" ] || { echo "committed: $output"; false; }
}

@test "worker: a final verdict is published while its judge still removes its boxes; the worker waits for that judge before it exits" {
	create_topic "$T" 1
	create_topic "$R" 1
	$KT gen 1 --prefix slowrm | $KT produce "$T"
	# A docker CLI whose box (`run`) returns 1.5 s after its container is
	# gone, then notes the time: the judge's removal of its boxes is slow.
	cat > "$W/cli" <<-EOF
	#!/bin/sh
	if [ "\$1" != run ]; then exec $(command -v docker) "\$@"; fi
	$(command -v docker) "\$@"
	rc=\$?
	exec </dev/null >/dev/null 2>&1
	sleep 1.5
	date +%s.%N >> "$W/removed"
	exit \$rc
	EOF
	chmod +x "$W/cli"
	start_worker w1 SCRC_DOCKER="$W/cli" SCRC_VERBOSE=1
	wait_judged "$W/w1.log" 1 120 || { tail -n 30 "$W/w1.log"; false; }
	# At once, while that judge is still waiting for its box to go.
	kill -TERM "$WORKER_PID"
	wait_exit "$WORKER_PID" 60 || { tail -n 30 "$W/w1.log"; false; }
	# The worker exited only after its judge had removed the box...
	[ -s "$W/removed" ]
	# ...and the broker had acknowledged the verdict before that.
	$PYTHON - "$W/w1.log" "$W/removed" <<-'EOF'
	import datetime, re, sys
	line = next(l for l in open(sys.argv[1]) if "judged id=slowrm-0" in l)
	at = datetime.datetime.strptime(re.search(r"(\S+)Z", line).group(1),
	                                "%Y-%m-%dT%H:%M:%S.%f").replace(
	                                    tzinfo=datetime.timezone.utc).timestamp()
	gone = min(float(x) for x in open(sys.argv[2]).read().split())
	print("published %.3f s before the box was gone" % (gone - at))
	assert at < gone, (at, gone)
	EOF
	grep -q 'status=OK' "$W/w1.log"
	! grep -q 'while removing its boxes' "$W/w1.log"
	$KT collect "$R" --count 1 --all --timeout 30 >"$W/res.jsonl"
	results_check "$W/res.jsonl" 'assert [r["status"] for r in res] == ["OK"], res'
	run $KT committed "$T" "$G"
	[ "$output" = "0 1 1" ]
}

# calls_at_once NAME [VAR=VALUE...]: worker NAME judges 8 python
# submissions, 4 at a time, through a docker CLI that notes how many calls
# run beside it as each one starts (and takes 0.4 s more than the real
# one, so that calls started together overlap); prints the most it saw.
calls_at_once() {
	local name=$1
	shift
	cat > "$W/cli" <<-EOF
	#!/bin/sh
	mkdir "$W/in.\$\$"
	ls -d "$W"/in.* | wc -l >> "$W/$name.at-once"
	sleep 0.4
	$(command -v "$DOCKER") "\$@"
	rc=\$?
	rmdir "$W/in.\$\$"
	exit \$rc
	EOF
	chmod +x "$W/cli"
	$KT gen 8 --prefix "calls-$name" | $KT produce "$T" >/dev/null 2>&1
	start_worker "$name" RUNNER_MAX_PARALLEL=4 SCRC_DOCKER="$W/cli" \
		SCRC_SOCKET_DIR="$W/sock" "$@"
	wait_judged "$W/$name.log" 8 180 || { tail -n 30 "$W/$name.log" >&2; return 1; }
	kill -TERM "$WORKER_PID"
	wait_exit "$WORKER_PID" 60 || return 1
	sort -n "$W/$name.at-once" | tail -n 1
}

@test "worker: its judges and it make at most SCRC_DOCKER_CALLS docker CLI calls at once (default 1), each box start waiting its turn" {
	create_topic "$T" 4
	create_topic "$R" 1
	# Without a bound, four judges starting their boxes together overlap.
	run calls_at_once free SCRC_DOCKER_CALLS=0
	[ "$status" -eq 0 ]
	echo "without a bound: $output at once"
	[ "$output" -ge 2 ]
	run calls_at_once one
	[ "$status" -eq 0 ]
	echo "by default: $output at once"
	[ "$output" -eq 1 ]
	run calls_at_once two SCRC_DOCKER_CALLS=2
	[ "$status" -eq 0 ]
	echo "with 2: $output at once"
	[ "$output" -le 2 ]
	# Nobody waited the gate's 5 s out, and every submission was judged right.
	! grep -q 'ahead without waiting' "$W"/*.log
	$KT collect "$R" --count 24 --all --timeout 30 >"$W/res.jsonl"
	results_check "$W/res.jsonl" '
assert len(ids) == 24 and set(ids.values()) == {1}, ids
assert {r["status"] for r in res} == {"OK"}, [r["status"] for r in res]'
	# The gate's lock files went with their workers; no box is left.
	[ -z "$(ls "$W/sock")" ]
	gone_soon "$DOCKER" ps -aq --filter name=scrc-calls-
}

# py_judged N ID MEMORY SOURCE: one python submission to $T (one test,
# expecting "ok"), then waits until worker w1 has judged N in all.
py_judged() {
	local n=$1
	shift
	$PYTHON -c 'import json, sys; print(json.dumps({"id": sys.argv[1],
		"language": "python", "source": sys.argv[3],
		"limits": {"time_limit_ms": 2000, "memory_limit_bytes": int(sys.argv[2])},
		"tests": [{"input": "", "expected_output": "ok\n"}]}))' "$@" |
		$KT produce "$T"
	wait_judged "$W/w1.log" "$n" 120 || { tail -n 30 "$W/w1.log"; false; }
}

# w1_stop_collect N: stops worker w1 (SIGTERM) and collects N results in $W/res.jsonl.
w1_stop_collect() {
	kill -TERM "$WORKER_PID"
	wait_exit "$WORKER_PID" 60 || { tail -n 30 "$W/w1.log"; false; }
	$KT collect "$R" --count "$1" --all --timeout 30 >"$W/res.jsonl"
}

# w1_metrics: what worker w1's /metrics says now.
w1_metrics() {
	local port
	port=$(sed -n 's/.*serving \/metrics and \/healthz on .* (port \([0-9]*\)).*/\1/p' "$W/w1.log")
	curl -s "http://127.0.0.1:$port/metrics"
}

@test "worker: a judge started ahead serves only a submission whose sandbox is exactly its box; verdicts stay right and no box is left" {
	create_topic "$T" 1
	create_topic "$R" 1
	# Boxes started ahead only: no judge comes back with the box it used.
	start_worker w1 SCRC_WARM_JUDGES=2 SCRC_BOX_REUSE=1 SCRC_VERBOSE=1 \
		SCRC_METRICS_LISTEN=127.0.0.1:0
	py_judged 1 warm-1 268435456 'print("ok")'
	# Now a spare waits with the box of a 256 MiB python submission. One
	# with a 64 MiB limit must not get it: it fills 160 MiB and is ML.
	sleep 1
	grep -q 'judge started ahead for python' "$W/w1.log"
	py_judged 2 warm-2 67108864 'x = b"y" * (160 << 20); print("ok")'
	grep -q "warm: no box waiting is this one (k1|" "$W/w1.log"
	# Its own box replaced the spare: the next 64 MiB one takes it.
	sleep 1
	py_judged 3 warm-3 67108864 'print("o" + "k")'
	[ "$(grep -c 'warm: taking the box started ahead' "$W/w1.log")" -eq 1 ]
	grep -q 'warm-3: attempt 1, pid [0-9]* (started ahead)' "$W/w1.log"
	# The same source again: the cache answers its syntax check, and the
	# box it asks for is still the one a check would have shared.
	sleep 1
	py_judged 4 warm-4 67108864 'print("o" + "k")'
	[ "$(grep -c 'warm: taking the box started ahead' "$W/w1.log")" -eq 2 ]
	grep -q 'warm-4: attempt 1, pid [0-9]* (started ahead)' "$W/w1.log"
	# The metrics say so too: two taken, and at least warm-2's not.
	w1_metrics > "$W/metrics.txt"
	grep -qx 'scrc_warm_boxes_total{outcome="taken"} 2' "$W/metrics.txt"
	grep -Eqx 'scrc_warm_boxes_total\{outcome="unused"\} [1-9][0-9]*' "$W/metrics.txt"
	w1_stop_collect 4
	results_check "$W/res.jsonl" '
st = {r["id"]: r["status"] for r in res}
assert st == {"warm-1": "OK", "warm-2": "ML", "warm-3": "OK", "warm-4": "OK"}, st
b = {r["id"]: r.get("build", {}) for r in res}
assert b["warm-4"].get("cached") is True, b["warm-4"]'
	# The spares went with the worker, their boxes with them.
	gone_soon "$DOCKER" ps -aq --filter label=scrc.submission=warm
	! grep -q 'exited while waiting' "$W/w1.log"
}

@test "worker: a judge that kept its boxes judges the next submission of its language in them, only when the sandbox is the same" {
	local pid
	create_topic "$T" 1
	create_topic "$R" 1
	start_worker w1 SCRC_VERBOSE=1 SCRC_METRICS_LISTEN=127.0.0.1:0
	py_judged 1 reuse-1 268435456 'print("ok")'
	sleep 1
	grep -q 'the judge of python (pid [0-9]*) waits with its box' "$W/w1.log"
	# The judge is scrc-judge: none of the worker's Kafka, HTTP and TLS libraries.
	pid=$(grep -o 'the judge of python (pid [0-9]*)' "$W/w1.log" | head -1 | tr -dc 0-9)
	[ "$(basename "$(readlink "/proc/$pid/exe")")" = scrc-judge ]
	! grep -Eq 'librdkafka|libmicrohttpd|libssl|libgnutls' "/proc/$pid/maps"
	# No judge was started ahead meanwhile: the one that came back holds the box.
	! grep -q 'judge started ahead for python' "$W/w1.log"
	# A 64 MiB submission is given that judge, not its 256 MiB box: 160 MiB is ML.
	py_judged 2 reuse-2 67108864 'x = b"y" * (160 << 20); print("ok")'
	grep -q 'warm: no box waiting is this one' "$W/w1.log"
	sleep 1
	# The next 64 MiB one runs in the box the ML one used, reset.
	py_judged 3 reuse-3 67108864 'print("o" + "k")'
	[ "$(grep -c 'warm: taking the box a submission used before' "$W/w1.log")" -eq 1 ]
	grep -q 'reuse-3: attempt 1, pid [0-9]* (started ahead)' "$W/w1.log"
	# Three submissions, two containers: the third started none.
	w1_metrics > "$W/metrics.txt"
	grep -qx 'scrc_containers_started_total 2' "$W/metrics.txt"
	grep -qx 'scrc_boxes_reused_total{outcome="taken"} 1' "$W/metrics.txt"
	grep -qx 'scrc_boxes_reused_total{outcome="refused"} 0' "$W/metrics.txt"
	grep -qx 'scrc_warm_boxes_total{outcome="taken"} 0' "$W/metrics.txt"
	w1_stop_collect 3
	results_check "$W/res.jsonl" '
st = {r["id"]: r["status"] for r in res}
assert st == {"reuse-1": "OK", "reuse-2": "ML", "reuse-3": "OK"}, st'
	# The kept box went with the worker.
	gone_soon containers_of reuse-
}
