"""A stand-in for `scrc worker`, for testing the simulator without Docker.

It consumes submissions and answers each with the verdict the scenario table
expects for the program it recognises (by comparing its language and source with the
files under simulator/scripts), or, for a row of the problems table (the
whole submission but its id is that row's), with a record holding what the
row checks; unless told to misbehave for some cells (a matrix cell is
LANGUAGE-OUTCOME, a problem its name):

    --wrong python-wa=OK      answer that cell with another status
    --drop c-tl               never answer that cell
    --conflict go-re=OK       answer twice, the second time differently
    --bad-field groups=score  answer that problem with that field off
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

from simulator import problems, scenarios, verdict

STOP = False


def _stop(signum, frame):
    global STOP
    STOP = True


def _index_sources():
    """{(language, source): (language, outcome)}: several languages share
    programs (c99 is c's, pypy is python's), so the language tells them apart."""
    table = {}
    for lang in scenarios.LANGUAGES:
        for out in scenarios.OUTCOMES:
            if not scenarios.possible(lang, out):
                continue
            with open(scenarios.script_path(lang, out), encoding="utf-8") as fh:
                table[(lang, fh.read())] = (lang, out)
    return table


def _cell(sources, sub):
    """The (language, outcome) of a matrix program, also when the benchmark's
    --unique-sources appended its nonce comment (scenarios.unique_source)."""
    lang, src = sub.get("language"), sub.get("source")
    cell = sources.get((lang, src))
    if cell is None and isinstance(src, str) and lang in scenarios.COMMENTS:
        head, _, last = src.rstrip("\n").rpartition("\n")
        if last.startswith(scenarios.COMMENTS[lang][0] + " unique "):
            cell = sources.get((lang, head + "\n"))
    return cell


def _index_problems():
    """{canonical submission without its id: problem row}."""
    return {_canonical(problems.body(pb)): pb for pb in problems.PROBLEMS}


def _canonical(sub):
    rest = {k: v for k, v in sub.items() if k != "id"}
    rest.setdefault("type", "script")
    return json.dumps(rest, sort_keys=True)


def _cells(pairs):
    out = {}
    for item in pairs or []:
        cell, _, status = item.partition("=")
        out[cell] = status
    return out


def _example(want):
    """A value that meets an expected one (matchers included)."""
    if isinstance(want, verdict.Contains):
        return "fake: %s" % want.text
    if isinstance(want, verdict.NonEmpty):
        return "fake worker: as the table expects"
    if isinstance(want, (list, tuple)):
        return [_example(x) for x in want]
    if isinstance(want, dict):
        return {k: _example(v) for k, v in want.items()}
    return want


def _off(value):
    """A value that does not meet `value`: numbers moved, strings replaced
    (so that no Contains still matches), the first item of a list, or a
    dict's score (else its first key), spoilt."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1 if value < 1 else value - 1
    if isinstance(value, str):
        return "(spoilt)" if value else "?"
    if isinstance(value, list) and value:
        first = next((i for i, v in enumerate(value) if v is not None), 0)
        return value[:first] + [_off(value[first])] + value[first + 1:]
    if isinstance(value, dict) and value:
        key = "score" if "score" in value else sorted(value)[0]
        return dict(value, **{key: _off(value[key])})
    return "?"


def judge_problem(sub, pb, wrong, bad_fields, test_delay_ms, worker_name):
    """The result record for a row of the problems table: the statuses it
    expects and, field by field, what it checks."""
    tests = sub.get("tests") or []
    status, statuses = pb.expected_status, list(pb.expected_tests)
    if pb.name in wrong:
        status = wrong[pb.name]
        statuses = [status] + ["-"] * (len(tests) - 1)
    rec = {"id": sub.get("id"), "status": status, "exit_code": 0, "stdout": "", "stderr": "",
           "error": "", "reason": "" if status == "OK" else "fake worker: %s" % pb.what,
           "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
           "worker": worker_name, "cpu_time_ms": 0, "memory_bytes": 0,
           "time_limit_ms": pb.time_limit_ms, "memory_limit_bytes": pb.memory_limit_bytes,
           "wall_time_limit_ms": 2 * pb.time_limit_ms + 1000, "tests": []}
    for i, (t, st) in enumerate(zip(tests, statuses)):
        ran = st != "-"
        rec["tests"].append({
            "number": t.get("number", i + 1), "status": st, "exit_code": 0,
            "duration_ms": test_delay_ms if ran else 0, "cpu_time_ms": 0, "memory_bytes": 0,
            "stdout": "", "stderr": "", "input": t.get("input", ""),
            "expected_output": t.get("expected_output", ""), "error": "", "reason": ""})
        if ran and test_delay_ms:
            time.sleep(test_delay_ms / 1000.0)
    for path, want in pb.checks():
        value = _example(want)
        if path.startswith("tests."):
            name = path[len("tests."):]
            for t, v in zip(rec["tests"], value):
                if v is not None:
                    t[name] = v
        else:
            rec[path] = value
    for path in bad_fields.get(pb.name, ()):
        if path.startswith("tests."):
            name = path[len("tests."):]
            column = _off([t.get(name) for t in rec["tests"]])
            for t, v in zip(rec["tests"], column):
                t[name] = v
        else:
            rec[path] = _off(rec.get(path))
    rec["duration_ms"] = sum(t["duration_ms"] for t in rec["tests"])
    return rec


def judge(sub, sources, wrong, test_delay_ms, worker_name, rows=None, bad_fields=None):
    """Builds the result record the fake gives for one submission."""
    pb = (rows or {}).get(_canonical(sub))
    if pb is not None:
        return judge_problem(sub, pb, wrong, bad_fields or {}, test_delay_ms, worker_name)
    cell = _cell(sources, sub)
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
    ap.add_argument("--bad-field", action="append")
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
    rows = _index_problems()
    wrong, drop, conflict = _cells(args.wrong), set(args.drop or []), _cells(args.conflict)
    bad_fields = {}
    for name, path in _cells(args.bad_field).items():
        bad_fields.setdefault(name, []).append(path)

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
        row = rows.get(_canonical(sub))
        sources_cell = _cell(sources, sub)
        key = row.name if row else "%s-%s" % sources_cell if sources_cell else None
        if key in drop:
            continue
        rec = judge(sub, sources, wrong, args.test_delay_ms, name, rows, bad_fields)
        prod.produce(results, key=str(rec["id"]).encode(), value=json.dumps(rec).encode())
        if key in conflict:
            rec2 = judge(sub, sources, {key: conflict[key]}, 0, name, rows, bad_fields)
            prod.produce(results, key=str(rec2["id"]).encode(), value=json.dumps(rec2).encode())
        prod.poll(0)
    prod.flush(10)
    cons.close()
    if cluster is not None:
        cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
