"""End-to-end check of a running scrc deployment.

Publishes every selected language x outcome program (simulator/scripts) and
every selected row of the problems table (checker programs, interactors,
groups, extra files, limit factors: simulator/problems.py) to the
submissions topic, for SCRIPT_ITERATIONS batches, consumes the results
topic, compares every result with its table, logs each result in detail,
prints the verdict tables and exits non-zero on any wrong, missing or
conflicting verdict.

    python3 -m simulator.main [--languages c,go] [--outcomes ok,tl]
        [--tables matrix,problems] [--problems groups,limits-java] ...

Exit status: 0 all verdicts right, 1 some wrong/missing, 2 usage error.
"""

import json
import os
import signal
import sys
import time
import uuid

from simulator import problems, scenarios, settings, verdict
from simulator.settings import MAIN_SETTINGS

TABLES = ("matrix", "problems")

_STOP = {"requested": False}


def _on_signal(signum, frame):
    if _STOP["requested"]:
        raise KeyboardInterrupt
    _STOP["requested"] = True


def make_id(run_id, iteration, sc):
    return "sim-%s-%d-%s-%s" % (run_id, iteration, sc.language, sc.outcome)


def make_problem_id(run_id, iteration, pb):
    return "sim-%s-%d-problem-%s" % (run_id, iteration, pb.name)


def choose(cfg):
    """What a run publishes: (languages, outcomes, matrix scenarios, problem
    rows). --languages narrows both tables, --outcomes the matrix, --problems
    the problems table, --tables picks the tables. ValueError for an unknown
    word or when nothing is left."""
    languages = scenarios.parse_filter(cfg.languages, scenarios.LANGUAGES, "language")
    outcomes = scenarios.parse_filter(cfg.outcomes, scenarios.OUTCOMES, "outcome")
    tables = scenarios.parse_filter(cfg.tables, TABLES, "table")
    names = scenarios.parse_filter(cfg.problems, problems.NAMES, "problem")
    matrix = scenarios.all_scenarios(languages, outcomes) if "matrix" in tables else []
    rows = problems.select(names, languages) if "problems" in tables else []
    if not matrix and not rows:
        raise ValueError("nothing selected (no problem of the table is in %s)"
                         % ", ".join(languages))
    return languages, outcomes, matrix, rows


class ResultLog:
    """JSON-lines log: one line per received result (and per run event)."""

    def __init__(self, path):
        self.path = path
        d = os.path.dirname(path)
        if d:
            os.makedirs(d, exist_ok=True)
        self._fh = open(path, "a", encoding="utf-8")

    def write(self, **fields):
        fields.setdefault("logged_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        self._fh.write(json.dumps(fields, sort_keys=True) + "\n")
        self._fh.flush()

    def close(self):
        self._fh.close()


class Run:
    """One simulator run: the tracker plus the message handler."""

    def __init__(self, run_id, log, out=sys.stdout):
        self.run_id = run_id
        self.prefix = "sim-%s-" % run_id
        self.tracker = verdict.Tracker()
        self.log = log
        self.out = out
        self.last_progress = time.monotonic()
        self.received = 0

    def on_message(self, key, value):
        try:
            record = json.loads(value)
        except (ValueError, TypeError):
            record = None
        sub_id = record.get("id") if isinstance(record, dict) else None
        if not isinstance(sub_id, str) or not sub_id:
            sub_id = key
        if not sub_id or not sub_id.startswith(self.prefix) or not self.tracker.knows(sub_id):
            return
        now = time.time()
        self.last_progress = time.monotonic()
        self.received += 1
        chk = self.tracker.record(sub_id, record, now)
        p = self.tracker.pending[sub_id]
        latency_ms = int(round((now - p.produced_at) * 1000))
        extra = {}
        if p.fields:
            extra = {"expected_fields": verdict.jsonable(dict(p.fields)),
                     "observed_fields": chk.fields}
        self.log.write(event="result", id=sub_id, table=p.table, language=p.language,
                       outcome=p.outcome, iteration=p.iteration,
                       expected_status=p.expected_status, expected_tests=p.expected_tests,
                       observed_status=chk.status, observed_tests=chk.tests, match=chk.ok,
                       reasons=chk.reasons, latency_ms=latency_ms,
                       duplicate=len(p.checks) > 1, record=record, **extra)
        mark = "ok" if chk.ok else "MISMATCH: " + "; ".join(chk.reasons)
        done = sum(1 for q in self.tracker.pending.values() if q.checks)
        print("[%d/%d] %-28s %-6s %6d ms  %s" % (done, len(self.tracker.pending),
              "%s-%s#%d" % (p.language, p.outcome, p.iteration), chk.status,
              latency_ms, mark), file=self.out, flush=True)


def read_programs(cfg, matrix, rows, err):
    """Reads every program to publish: (matrix sources by key, problem
    submissions without id by name, the problem rows kept), or None when
    one cannot be read.

    A copy of simulator/ alone (an image built from it) has no
    bats/programs: a run that did not ask for the problems table goes on
    with the matrix, saying so; asking for it by flag or environment
    (--tables, --problems, --programs-dir) makes a missing program an error.
    """
    sources = {}
    for sc in matrix:
        try:
            sources[sc.key] = sc.source()
        except OSError as exc:
            print("simulator: cannot read %s: %s" % (sc.script_path, exc), file=err)
            return None
    bodies = {}
    for pb in rows:
        try:
            bodies[pb.name] = problems.body(pb, cfg.programs_dir)
        except OSError as exc:
            asked = bool(set(getattr(cfg, "explicit", ())) &
                         {"tables", "problems", "programs_dir"})
            fatal = asked or not matrix
            print("simulator: cannot read the program of problem %s: %s%s"
                  % (pb.name, exc, "" if fatal else
                     "; the problems table is left out (--programs-dir names the "
                     "source tree's bats/programs)"), file=err, flush=True)
            if fatal:
                return None
            return sources, {}, []
    return sources, bodies, rows


def run(cfg, out=sys.stdout, err=sys.stderr):
    """Runs the check with resolved settings; returns the exit status."""
    from simulator import kafkaio

    try:
        languages, outcomes, matrix, rows = choose(cfg)
    except ValueError as exc:
        print("simulator: %s" % exc, file=err)
        return 2
    programs = read_programs(cfg, matrix, rows, err)
    if programs is None:
        return 2
    sources, bodies, rows = programs

    run_id = uuid.uuid4().hex[:8]
    log = ResultLog(cfg.log_path)
    state = Run(run_id, log, out)
    log.write(event="start", run_id=run_id, broker=cfg.broker, topic=cfg.topic,
              results_topic=cfg.results_topic, group=cfg.group, iterations=cfg.iterations,
              languages=languages, outcomes=outcomes, problems=[pb.name for pb in rows])
    print("simulator: run %s: %d programs (matrix %d, problems %d) x %s iteration(s) -> "
          "%s / %s at %s (group %s)"
          % (run_id, len(matrix) + len(rows), len(matrix), len(rows),
             cfg.iterations if cfg.iterations > 0 else "inf",
             cfg.topic, cfg.results_topic, cfg.broker, cfg.group), file=out, flush=True)

    if cfg.create_topics > 0:
        failed = kafkaio.ensure_topics(cfg.broker, [cfg.topic, cfg.results_topic],
                                       cfg.create_topics)
        if failed:
            print("simulator: could not create %s; relying on auto-creation"
                  % ", ".join(failed), file=err, flush=True)
    consumer = kafkaio.ResultConsumer(cfg.broker, cfg.results_topic, cfg.group)
    poll_s = cfg.poll_timeout_ms / 1000.0
    if not consumer.wait_assignment(cfg.assign_timeout, state.on_message):
        print("simulator: no results partition assigned after %.0f s; producing anyway "
              "(offsets reset to earliest, so nothing is missed)" % cfg.assign_timeout,
              file=err, flush=True)
    producer = kafkaio.Producer(cfg.broker, cfg.topic)

    old_term = signal.signal(signal.SIGTERM, _on_signal)
    old_int = signal.signal(signal.SIGINT, _on_signal)
    produced = 0
    try:
        iteration = 0
        while not _STOP["requested"] and (cfg.iterations <= 0 or iteration < cfg.iterations):
            iteration += 1
            for sc in matrix:
                sub_id = make_id(run_id, iteration, sc)
                state.tracker.add(verdict.Pending(
                    sub_id=sub_id, language=sc.language, outcome=sc.outcome,
                    iteration=iteration, expected_status=sc.expected_status,
                    expected_tests=sc.expected_tests, ntests=len(sc.tests),
                    produced_at=time.time()))
                producer.send(sub_id, scenarios.submission(sc, sub_id, sources[sc.key]))
                produced += 1
                consumer.poll(0, state.on_message)
            # The problems after the matrix: their checkers and interactors
            # take seconds each, so the matrix's verdicts come first.
            for pb in rows:
                sub_id = make_problem_id(run_id, iteration, pb)
                state.tracker.add(verdict.Pending(
                    sub_id=sub_id, language=pb.language, outcome=pb.name,
                    iteration=iteration, expected_status=pb.expected_status,
                    expected_tests=pb.expected_tests, ntests=len(pb.tests),
                    produced_at=time.time(), fields=pb.checks(), table="problems"))
                producer.send(sub_id, problems.submission(pb, sub_id, prepared=bodies[pb.name]))
                produced += 1
                consumer.poll(0, state.on_message)
            left = producer.flush()
            if left:
                print("simulator: %d submissions not delivered to Kafka" % left, file=err)
            state.last_progress = time.monotonic()
            if cfg.iterations > 0 and iteration >= cfg.iterations:
                break
            pause_until = time.monotonic() + cfg.interval
            while not _STOP["requested"]:
                consumer.poll(min(poll_s, max(0.0, pause_until - time.monotonic())),
                              state.on_message)
                if time.monotonic() >= pause_until:
                    break

        # Wait for the rest; the timeout restarts whenever an awaited result arrives.
        timed_out = False
        while not state.tracker.complete():
            if _STOP["requested"]:
                print("simulator: interrupted", file=err, flush=True)
                timed_out = True
                break
            if time.monotonic() - state.last_progress > cfg.wait_timeout:
                timed_out = True
                break
            consumer.poll(poll_s, state.on_message)
        # A short grace period catches duplicates already on their way.
        grace = time.monotonic() + min(1.0, poll_s * 2)
        while time.monotonic() < grace and not _STOP["requested"]:
            consumer.poll(0.1, state.on_message)
    except KeyboardInterrupt:
        timed_out = True
    finally:
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)
        consumer.close()

    failures = state.tracker.failures()
    for err_line in producer.errors:
        failures.append(("(produce)", err_line))
    cells = state.tracker.cells()
    # A cell the language cannot reach is marked, not left blank like a
    # missing verdict.
    for lang in languages:
        for out_name in outcomes:
            if not scenarios.possible(lang, out_name):
                cells[(lang, out_name)] = "n/a"
    tables = []
    if matrix:
        tables.append(verdict.render_table(languages, outcomes, cells))
    if rows:
        tables.append(verdict.render_problems(rows, cells))
    table = "\n\n".join(tables)
    print("", file=out)
    print(table, file=out)
    print("", file=out)
    missing = len(state.tracker.outstanding())
    print("simulator: produced %d, results %d (duplicates %d), missing %d, problems %d%s"
          % (produced, state.received, state.tracker.duplicates, missing, len(failures),
             " (gave up after %.0f s without progress)" % cfg.wait_timeout if timed_out else ""),
          file=out)
    for sub_id, reason in failures[:50]:
        print("  %s: %s" % (sub_id, reason), file=out)
    if len(failures) > 50:
        print("  ... %d more in %s" % (len(failures) - 50, cfg.log_path), file=out)
    log.write(event="end", run_id=run_id, produced=produced, received=state.received,
              duplicates=state.tracker.duplicates, missing=missing,
              problems=[list(f) for f in failures], table=table)
    log.close()
    ok = produced > 0 and not failures
    print("simulator: %s" % ("PASS" if ok else "FAIL"), file=out, flush=True)
    return 0 if ok else 1


def main(argv=None, environ=None):
    try:
        cfg = settings.parse(MAIN_SETTINGS, argv, __doc__.splitlines()[0], environ)
    except settings.SettingsError as exc:
        print("simulator: %s" % exc, file=sys.stderr)
        return 2
    return run(cfg)


if __name__ == "__main__":
    sys.exit(main())
