"""A stand-in for `scrc worker`, for testing the simulator without Docker.

It consumes submissions and answers each with the verdict the scenario table
expects for the program it recognises (by comparing the source with the
files under simulator/scripts), unless told to misbehave for some cells:

    --wrong python-wa=OK      answer that cell with another status
    --drop c-tl               never answer that cell
    --conflict go-re=OK       answer twice, the second time differently
    --test-delay-ms 5         pretend each test ran this long

With --embedded-kafka it starts librdkafka's mock cluster (like the real
worker) and prints "scrc: embedded kafka bootstrap: HOST:PORT" on stderr.
Accepts and ignores a "worker" word, so it can stand in for $SCRC.
"""

import argparse
import json
import os
import signal
import sys
import time

from simulator import scenarios

STOP = False


def _stop(signum, frame):
    global STOP
    STOP = True


def _index_sources():
    table = {}
    for lang in scenarios.LANGUAGES:
        for out in scenarios.OUTCOMES:
            with open(scenarios.script_path(lang, out), encoding="utf-8") as fh:
                table[fh.read()] = (lang, out)
    return table


def _cells(pairs):
    out = {}
    for item in pairs or []:
        cell, _, status = item.partition("=")
        out[cell] = status
    return out


def judge(sub, sources, wrong, test_delay_ms, worker_name):
    """Builds the result record the fake gives for one submission."""
    cell = sources.get(sub.get("source"))
    tests = sub.get("tests") or []
    rec = {"id": sub.get("id"), "exit_code": 0, "stdout": "", "stderr": "", "error": "",
           "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
           "worker": worker_name, "cpu_time_ms": 0, "memory_bytes": 0}
    if cell is None:
        status = "IE"
        rec["error"] = "fake worker: unknown program"
        expected_tests = None
    else:
        lang, out = cell
        status = scenarios.EXPECTED[out][0]
        expected_tests = scenarios.expected_test_statuses(out, len(tests))
        key = "%s-%s" % cell
        if key in wrong:
            status = wrong[key]
            expected_tests = (status,) + ("-",) * (len(tests) - 1) if tests else ()
    rec["status"] = status
    rec["tests"] = []
    if expected_tests:
        for i, (t, st) in enumerate(zip(tests, expected_tests)):
            ran = st != "-"
            rec["tests"].append({
                "number": t.get("number", i + 1), "status": st, "exit_code": 0,
                "duration_ms": test_delay_ms if ran else 0, "cpu_time_ms": 0,
                "memory_bytes": 0, "stdout": t.get("expected_output", "") if st == "OK" else "",
                "stderr": "", "input": t.get("input", ""),
                "expected_output": t.get("expected_output", ""), "error": ""})
            if ran and test_delay_ms:
                time.sleep(test_delay_ms / 1000.0)
    rec["duration_ms"] = sum(t["duration_ms"] for t in rec["tests"])
    return rec


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    argv = [a for a in argv if a != "worker"]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--embedded-kafka", action="store_true")
    ap.add_argument("--wrong", action="append")
    ap.add_argument("--drop", action="append")
    ap.add_argument("--conflict", action="append")
    ap.add_argument("--test-delay-ms", type=int, default=0)
    args = ap.parse_args(argv)

    import confluent_kafka as ck

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    cluster = None
    if args.embedded_kafka:
        from simulator.tests.mockkafka import MockCluster
        cluster = MockCluster()
        brokers = cluster.bootstraps
        print("scrc: embedded kafka bootstrap: %s" % brokers, file=sys.stderr, flush=True)
    else:
        brokers = os.environ.get("KAFKA_BROKERS", "kafka:9092")
    topic = os.environ.get("KAFKA_TOPIC", "scripts")
    results = os.environ.get("KAFKA_RESULTS_TOPIC", "script-results")
    group = os.environ.get("KAFKA_GROUP_ID", "scrc-runner")
    name = os.environ.get("SCRC_WORKER_NAME", "fake-%d" % os.getpid())
    sources = _index_sources()
    wrong, drop, conflict = _cells(args.wrong), set(args.drop or []), _cells(args.conflict)

    cons = ck.Consumer({"bootstrap.servers": brokers, "group.id": group,
                        "auto.offset.reset": "earliest", "allow.auto.create.topics": True,
                        "topic.metadata.refresh.interval.ms": 1000,
                        "fetch.wait.max.ms": 50,
                        # librdkafka 2.0's mock cluster holds a rebalance for
                        # the members' max.poll.interval.ms: keep it short.
                        "max.poll.interval.ms": 10000, "session.timeout.ms": 6000})
    prod = ck.Producer({"bootstrap.servers": brokers, "linger.ms": 1})
    cons.subscribe([topic])
    while not STOP:
        msg = cons.poll(0.2)
        if msg is None or msg.error() is not None:
            continue
        try:
            sub = json.loads(msg.value())
        except ValueError:
            continue
        if sub.get("type") == "done":
            break
        sources_cell = sources.get(sub.get("source"))
        key = "%s-%s" % sources_cell if sources_cell else None
        if key in drop:
            continue
        rec = judge(sub, sources, wrong, args.test_delay_ms, name)
        prod.produce(results, key=str(rec["id"]).encode(), value=json.dumps(rec).encode())
        if key in conflict:
            rec2 = judge(sub, sources, {key: conflict[key]}, 0, name)
            prod.produce(results, key=str(rec2["id"]).encode(), value=json.dumps(rec2).encode())
        prod.poll(0)
    prod.flush(10)
    cons.close()
    if cluster is not None:
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
