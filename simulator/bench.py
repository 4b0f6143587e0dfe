"""Load generator and benchmark for scrc.

Keeps a fixed number of submissions in flight (closed loop) from a load
profile, over a warm-up, a measurement and a cool-down window, and reports
throughput (results per minute inside the measurement window), end-to-end
latency (produce -> result consumed) p50/p95 per language x outcome, and the
overhead around the programs themselves (end-to-end minus the sum of the
tests' duration_ms).

Either it starts the workers itself and sweeps configurations
(--scrc PATH --parallel 1,2,4 --replicas 1,2; without --broker the first
worker of each point runs `--embedded-kafka` and the others join it), or it
measures a worker that is already running (--external).

Beside them: judge overhead CPU per submission (the worker's tree, dockerd,
containerd and the containers, from /proc, minus the programs' reported CPU;
simulator/hostcpu.py) and peak RSS. --unique-sources makes every source new
(no build cache can answer); --baseline-worker PATH measures another worker
on the same workload, interleaved with ours, and prints a side-by-side table.
The profile "original" is the replaced service's 25 scenarios.

Output (--out, default bench-out/): samples.csv, summary.csv, points.csv,
PNG charts and summary.md.

    python3 -m simulator.bench --quick --scrc ./scrc --parallel 2
    python3 -m simulator.bench --external --broker localhost:9092 --profile light
    python3 -m simulator.bench --quick --scrc ./scrc --profile original --unique-sources \
        --baseline-worker ../old/scrc --parallel 2
"""

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from simulator import hostcpu, scenarios, settings, verdict
from simulator.settings import KAFKA_SETTINGS

# A profile is a list of (outcome, tests per submission, weight); every
# selected language gets each entry.
PROFILES = {
    "light": [("ok", 2, 1)],
    "medium": [("ok", 2, 2), ("wa", 2, 1), ("ml", 2, 1), ("bf", 2, 1), ("re", 2, 1)],
    "heavy": [("ok", 50, 3), ("wa", 50, 1)],
    "timeout-heavy": [("tl", 2, 3), ("ok", 2, 1)],
    # The service scrc replaces: its simulator's 25 scenarios, each once
    # (our programs, limits and two tests).
    "original": [("ok", 2, 1), ("wa", 2, 1), ("tl", 2, 1), ("ml", 2, 1), ("bf", 2, 1)],
}
# Profiles that are about a fixed set of languages: --languages can only
# narrow it.
PROFILE_LANGUAGES = {"original": ("python", "go", "c", "cpp", "java")}

QUICK = {"warmup": 10.0, "measure": 40.0, "cooldown": 40.0, "profiles": "medium"}
FULL = {"warmup": 30.0, "measure": 120.0, "cooldown": 90.0, "profiles": ",".join(PROFILES)}

BOOTSTRAP_RE = re.compile(r"embedded kafka bootstrap:\s*(\S+)")

MIB = 1 << 20
RSS_INTERVAL_S = 0.2
# hostcpu.cpu_split() keys -> points.csv columns (ms per submission).
CPU_COLUMNS = (("overhead", "judge_overhead_cpu_ms"), ("worker", "worker_tree_cpu_ms"),
               ("daemons", "daemons_cpu_ms"), ("containers", "containers_cpu_ms"),
               ("programs", "programs_cpu_ms"),
               ("host_less_programs", "host_less_programs_cpu_ms"))


@dataclass
class Sample:
    sub_id: str
    language: str
    outcome: str
    ntests: int
    phase: str                       # warmup / measure / cooldown
    produced_at: float
    expected_status: str
    expected_tests: Optional[Tuple[str, ...]]
    result_at: Optional[float] = None
    status: str = ""
    match: Optional[bool] = None
    tests_run: int = 0
    test_ms: int = 0
    worker: str = ""
    program_cpu_ms: int = 0          # what the result says its programs used
    program_cpu_known: bool = False  # every test that ran reported cpu_time_ms

    @property
    def latency_ms(self):
        if self.result_at is None:
            return None
        return (self.result_at - self.produced_at) * 1000.0

    @property
    def overhead_ms(self):
        lat = self.latency_ms
        return None if lat is None else lat - self.test_ms


def profile_languages(profile, languages):
    """The languages a profile sends: all selected ones, or for a profile
    with its own set, that set narrowed by the selection."""
    own = PROFILE_LANGUAGES.get(profile)
    if own is None:
        return tuple(languages)
    chosen = tuple(lang for lang in own if lang in languages)
    if not chosen:
        raise ValueError("profile %s sends only %s; none of them is selected"
                         % (profile, ",".join(own)))
    return chosen


def build_mix(profile, languages):
    """The submission cycle for a profile: weighted entries, languages interleaved."""
    mix = []
    languages = profile_languages(profile, languages)
    for outcome, ntests, weight in PROFILES[profile]:
        for _ in range(weight):
            for lang in languages:
                if scenarios.possible(lang, outcome):
                    mix.append((lang, outcome, ntests))
    return mix


def phase_at(t, t0, warmup, measure):
    if t < t0 + warmup:
        return "warmup"
    if t < t0 + warmup + measure:
        return "measure"
    return "cooldown"


def program_cpu(rec):
    """(ms, tests known, build known): the CPU a result says the judged
    programs used. Tests: the sum of their cpu_time_ms (PROTOCOL.md's ext
    field; a result without it, the original's say, is not known). Build:
    a result that reports its compiler's CPU (no protocol field does yet;
    "build_cpu_time_ms" or build.cpu_time_ms is looked for)."""
    tests = rec.get("tests") if isinstance(rec.get("tests"), list) else []
    ran = [t for t in tests if isinstance(t, dict) and t.get("status") != "-"]
    ms, tests_known = 0, True
    for t in ran:
        v = t.get("cpu_time_ms")
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            ms += v
        else:
            tests_known = False
    build = rec.get("build_cpu_time_ms")
    if build is None and isinstance(rec.get("build"), dict):
        build = rec["build"].get("cpu_time_ms")
    build_known = isinstance(build, (int, float)) and not isinstance(build, bool)
    if build_known:
        ms += build
    return ms, tests_known, build_known


def summarize(samples, measure_s):
    """Per-point figures and per language x outcome rows from the samples."""
    measured = [s for s in samples if s.phase == "measure"]
    done = [s for s in measured if s.result_at is not None]
    t_start = min((s.produced_at for s in measured), default=None)
    # Throughput: results that arrived inside the measurement window.
    window_end = None if t_start is None else t_start + measure_s
    in_window = [s for s in samples if s.result_at is not None and t_start is not None
                 and t_start <= s.result_at < window_end]
    lat = [s.latency_ms for s in done]
    overhead = [s.overhead_ms for s in done]
    per_test = [s.overhead_ms / s.tests_run for s in done if s.tests_run > 0]
    point = {
        "submitted": len(measured),
        "completed": len(done),
        "missing": len(measured) - len(done),
        "mismatches": sum(1 for s in done if s.match is False),
        "throughput_per_min": (len(in_window) * 60.0 / measure_s) if measure_s > 0 else 0.0,
        "latency_p50_ms": verdict.percentile(lat, 50),
        "latency_p95_ms": verdict.percentile(lat, 95),
        "overhead_p50_ms": verdict.percentile(overhead, 50),
        "overhead_per_test_p50_ms": verdict.percentile(per_test, 50),
    }
    rows = []
    keys = sorted({(s.language, s.outcome) for s in measured})
    for lang, out in keys:
        cell = [s for s in done if s.language == lang and s.outcome == out]
        lat_c = [s.latency_ms for s in cell]
        ovh_c = [s.overhead_ms for s in cell]
        pt_c = [s.overhead_ms / s.tests_run for s in cell if s.tests_run > 0]
        rows.append({
            "language": lang, "outcome": out,
            "submitted": sum(1 for s in measured if s.language == lang and s.outcome == out),
            "completed": len(cell),
            "mismatches": sum(1 for s in cell if s.match is False),
            "latency_p50_ms": verdict.percentile(lat_c, 50),
            "latency_p95_ms": verdict.percentile(lat_c, 95),
            "test_ms_mean": (sum(s.test_ms for s in cell) / len(cell)) if cell else None,
            "overhead_p50_ms": verdict.percentile(ovh_c, 50),
            "overhead_per_test_p50_ms": verdict.percentile(pt_c, 50),
        })
    return point, rows


def worker_paths(scrc, lang_dir, box, environ):
    """SCRC_LANG_DIR / SCRC_BOX for started workers: the flags, else the
    environment, else lang/ and scrc-box beside an scrc built in its tree."""
    out = {}
    here = os.path.dirname(os.path.abspath(scrc.split()[0]))
    for var, given, guess in (("SCRC_LANG_DIR", lang_dir, os.path.join(here, "lang")),
                              ("SCRC_BOX", box, os.path.join(here, "scrc-box"))):
        if given:
            out[var] = os.path.abspath(given)
        elif not environ.get(var) and os.path.exists(guess):
            out[var] = guess
    return out


class Workers:
    """`scrc worker` processes started for one sweep point."""

    def __init__(self, scrc, replicas, parallel, broker, topic, results_topic, group, logdir,
                 tag, extra_args=(), lang_dir=None, box=None, plain=False):
        """plain: run `scrc` as it is, no `worker` subcommand and no flags (a
        service configured by its environment alone, as the original is)."""
        self.procs = []
        self.logs = []
        self.broker = broker
        argv0 = scrc.split()
        base_env = dict(os.environ)
        base_env.update(worker_paths(scrc, lang_dir, box, os.environ))
        base_env.update({
            "KAFKA_TOPIC": topic, "KAFKA_RESULTS_TOPIC": results_topic,
            "KAFKA_GROUP_ID": group, "RUNNER_MAX_PARALLEL": str(parallel),
        })
        for r in range(replicas):
            env = dict(base_env)
            env["SCRC_WORKER_NAME"] = "%s-w%d" % (tag, r + 1)
            argv = list(argv0) if plain else argv0 + ["worker"] + list(extra_args)
            if self.broker is None:
                argv.append("--embedded-kafka")
            else:
                env["KAFKA_BROKERS"] = self.broker
            path = os.path.join(logdir, "%s-w%d.log" % (tag, r + 1))
            fh = open(path, "w")
            self.logs.append(path)
            proc = subprocess.Popen(argv, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
            fh.close()
            self.procs.append(proc)
            if self.broker is None:
                self.broker = self._wait_bootstrap(proc, path, 60.0)

    @staticmethod
    def _wait_bootstrap(proc, path, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(path, errors="replace") as fh:
                m = BOOTSTRAP_RE.search(fh.read())
            if m:
                return m.group(1)
            if proc.poll() is not None:
                raise RuntimeError("worker exited (%s) before printing its bootstrap; see %s"
                                   % (proc.returncode, path))
            time.sleep(0.1)
        raise RuntimeError("no embedded kafka bootstrap line within %.0f s; see %s"
                           % (timeout, path))

    @property
    def pids(self):
        return [proc.pid for proc in self.procs]

    def stop(self, timeout=60.0):
        # The first worker may host the embedded cluster: stop it last.
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def run_point(cfg, profile, languages, broker, topic, results_topic, group, inflight, out,
              unique=False, worker_pids=None):
    """Drives one measurement; returns the samples and the point's CPU and
    memory figures (measure_cpu()). unique: every source made new
    (scenarios.unique_source); worker_pids: the workers to measure."""
    from simulator import kafkaio

    mix = build_mix(profile, languages)
    cache = {}
    consumer = kafkaio.ResultConsumer(broker, results_topic, group)
    samples: Dict[str, Sample] = {}
    run_tag = uuid.uuid4().hex[:8]
    prefix = "bench-%s-" % run_tag
    # CPU is counted from the start of the measurement window to the last
    # answer, over the answers that arrived in that span.
    cpu = {"before": None, "after": None, "answered": 0, "program_ms": 0,
           "tests_known": 0, "build_known": 0}
    rss = hostcpu.RssPeak(worker_pids or ())
    next_rss = [0.0]

    def sample_rss():
        if worker_pids and time.monotonic() >= next_rss[0]:
            rss.sample()
            next_rss[0] = time.monotonic() + RSS_INTERVAL_S

    def on_message(key, value):
        try:
            rec = json.loads(value)
        except (ValueError, TypeError):
            return
        sub_id = rec.get("id") if isinstance(rec, dict) else None
        s = samples.get(sub_id if isinstance(sub_id, str) else key)
        if s is None or s.result_at is not None:
            return
        s.result_at = time.time()
        chk = verdict.check_result(s.expected_status, s.expected_tests, rec, s.ntests)
        s.status, s.match = chk.status, chk.ok
        tests = rec.get("tests") if isinstance(rec.get("tests"), list) else []
        ran = [t for t in tests if isinstance(t, dict) and t.get("status") != "-"]
        s.tests_run = len(ran)
        s.test_ms = sum(int(t.get("duration_ms") or 0) for t in ran)
        s.worker = str(rec.get("worker") or "")
        ms, tests_known, build_known = program_cpu(rec)
        s.program_cpu_ms, s.program_cpu_known = ms, tests_known
        if cpu["before"] is not None:
            cpu["answered"] += 1
            cpu["program_ms"] += ms
            cpu["tests_known"] += tests_known
            cpu["build_known"] += build_known

    consumer.wait_assignment(cfg.assign_timeout, on_message)
    producer = kafkaio.Producer(broker, topic)
    # The windows start with the first answer: until then the workers are
    # still joining the group or building images/caches (not measured).
    ready = {"t0": None}
    t_start = time.time()
    n = 0

    def answered():
        return any(s.result_at is not None for s in samples.values())

    try:
        while True:
            now = time.time()
            if ready["t0"] is None:
                if answered():
                    ready["t0"] = now
                    print("bench: %s: first result after %.1f s" % (profile, now - t_start),
                          file=out, flush=True)
                elif now - t_start > cfg.ready_timeout:
                    print("bench: %s: no result within %.0f s; giving up"
                          % (profile, cfg.ready_timeout), file=out, flush=True)
                    break
            t0 = ready["t0"]
            if t0 is not None and now >= t0 + cfg.warmup + cfg.measure:
                break
            if t0 is not None and cpu["before"] is None and now >= t0 + cfg.warmup:
                cpu["before"] = hostcpu.snapshot(worker_pids)
            sample_rss()
            outstanding = sum(1 for s in samples.values() if s.result_at is None)
            while outstanding < inflight:
                lang, outcome, ntests = mix[n % len(mix)]
                sc = scenarios.scenario(lang, outcome, ntests)
                if sc.key not in cache:
                    cache[sc.key] = sc.source()
                source = cache[sc.key]
                if unique:
                    source = scenarios.unique_source(lang, source, "%s-%d" % (run_tag, n))
                sub_id = "%s%d-%s" % (prefix, n, sc.key)
                now = time.time()
                phase = "warmup" if t0 is None else phase_at(now, t0, cfg.warmup, cfg.measure)
                samples[sub_id] = Sample(sub_id, lang, outcome, ntests, phase, now,
                                         sc.expected_status, sc.expected_tests)
                producer.send(sub_id, scenarios.submission(sc, sub_id, source))
                n += 1
                outstanding += 1
            producer.poll()
            consumer.poll(0.05, on_message)
        producer.flush()
        cool_end = time.time() + cfg.cooldown
        while time.time() < cool_end:
            if all(s.result_at is not None for s in samples.values()
                   if s.phase == "measure"):
                break
            consumer.poll(0.2, on_message)
            sample_rss()
        if cpu["before"] is not None:
            cpu["after"] = hostcpu.snapshot(worker_pids)
    finally:
        consumer.close()
    print("bench: %s: produced %d, answered %d" % (profile, n, sum(
        1 for s in samples.values() if s.result_at is not None)), file=out, flush=True)
    return list(samples.values()), measure_cpu(cpu, rss if worker_pids else None)


def measure_cpu(cpu, rss):
    """The point's CPU figures (ms per submission, hostcpu.cpu_split) and
    peak RSS (MiB), as columns of points.csv."""
    out = {"cpu_answers": cpu["answered"],
           "program_cpu_known": "%d/%d" % (cpu["tests_known"], cpu["answered"]),
           "build_cpu_known": "%d/%d" % (cpu["build_known"], cpu["answered"])}
    split = None
    if cpu["before"] is not None and cpu["after"] is not None:
        split = hostcpu.cpu_split(cpu["before"], cpu["after"], cpu["answered"],
                                  cpu["program_ms"])
    for key, col in CPU_COLUMNS:
        out[col] = split.get(key) if split else None
    out["worker_rss_peak_mib"] = rss.worker / MIB if rss else None
    out["tree_rss_peak_mib"] = rss.tree / MIB if rss else None
    out["tree_pss_peak_mib"] = rss.tree_pss / MIB if rss else None
    return out


def _fmt(v, nd=0):
    if v is None:
        return ""
    if isinstance(v, float):
        return ("%." + str(nd) + "f") % v
    return str(v)


def write_outputs(outdir, points, all_rows, all_samples, meta):
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "samples.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["point", "id", "language", "outcome", "ntests", "phase", "produced_at",
                    "latency_ms", "status", "expected", "match", "tests_run", "test_ms",
                    "overhead_ms", "worker"])
        for label, s in all_samples:
            w.writerow([label, s.sub_id, s.language, s.outcome, s.ntests, s.phase,
                        "%.3f" % s.produced_at, _fmt(s.latency_ms, 1), s.status,
                        s.expected_status, "" if s.match is None else int(s.match),
                        s.tests_run, s.test_ms, _fmt(s.overhead_ms, 1), s.worker])
    point_cols = ["point", "profile", "replicas", "parallel", "inflight", "submitted",
                  "completed", "missing", "mismatches", "throughput_per_min",
                  "latency_p50_ms", "latency_p95_ms", "overhead_p50_ms",
                  "overhead_per_test_p50_ms", "side", "repeat", "sources"] + \
        [col for _, col in CPU_COLUMNS] + \
        ["cpu_answers", "program_cpu_known", "build_cpu_known", "worker_rss_peak_mib",
         "tree_rss_peak_mib", "tree_pss_peak_mib"]
    with open(os.path.join(outdir, "points.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(point_cols)
        for p in points:
            w.writerow([_fmt(p.get(c), 1) for c in point_cols])
    row_cols = ["point", "language", "outcome", "submitted", "completed", "mismatches",
                "latency_p50_ms", "latency_p95_ms", "test_ms_mean", "overhead_p50_ms",
                "overhead_per_test_p50_ms"]
    with open(os.path.join(outdir, "summary.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(row_cols)
        for r in all_rows:
            w.writerow([_fmt(r.get(c), 1) for c in row_cols])
    charts = write_charts(outdir, points, all_rows)
    write_markdown(outdir, points, all_rows, meta, charts)


def write_charts(outdir, points, rows):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    charts = []
    if points:
        fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(points)), 4))
        labels = [p["point"] for p in points]
        ax.bar(range(len(points)), [p["throughput_per_min"] for p in points], color="#4477aa")
        ax.set_xticks(range(len(points)))
        ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("submissions / min")
        ax.set_title("Throughput per configuration")
        fig.tight_layout()
        fig.savefig(os.path.join(outdir, "throughput.png"), dpi=100)
        plt.close(fig)
        charts.append("throughput.png")

        fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(points)), 4))
        x = range(len(points))
        ax.bar([i - 0.2 for i in x], [p["latency_p50_ms"] or 0 for p in points], 0.4,
               label="p50", color="#66aa55")
        ax.bar([i + 0.2 for i in x], [p["latency_p95_ms"] or 0 for p in points], 0.4,
               label="p95", color="#cc6677")
        ax.set_xticks(list(x))
        ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("end-to-end latency (ms)")
        ax.set_title("Latency per configuration")
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(outdir, "latency.png"), dpi=100)
        plt.close(fig)
        charts.append("latency.png")

    for p in points:
        prow = [r for r in rows if r["point"] == p["point"] and r["completed"]]
        if not prow:
            continue
        names = ["%s/%s" % (r["language"], r["outcome"]) for r in prow]
        fig, ax = plt.subplots(figsize=(max(6, 0.45 * len(prow)), 4))
        x = range(len(prow))
        ax.bar([i - 0.2 for i in x], [r["latency_p50_ms"] or 0 for r in prow], 0.4,
               label="latency p50", color="#4477aa")
        ax.bar([i + 0.2 for i in x], [r["overhead_p50_ms"] or 0 for r in prow], 0.4,
               label="overhead p50", color="#ddcc77")
        ax.set_xticks(list(x))
        ax.set_xticklabels(names, rotation=60, ha="right", fontsize=7)
        ax.set_ylabel("ms")
        ax.set_title("Per language x outcome: %s" % p["point"])
        ax.legend(fontsize=8)
        fig.tight_layout()
        name = "cells-%s.png" % re.sub(r"[^A-Za-z0-9_.-]", "_", p["point"])
        fig.savefig(os.path.join(outdir, name), dpi=100)
        plt.close(fig)
        charts.append(name)
    return charts


def write_markdown(outdir, points, rows, meta, charts):
    lines = ["# scrc benchmark", ""]
    for k, v in meta.items():
        lines.append("- %s: %s" % (k, v))
    lines += ["", "## Configurations", "",
              "| point | throughput/min | p50 ms | p95 ms | overhead p50 ms | "
              "per-test overhead p50 ms | judge overhead CPU ms/sub | "
              "worker + children peak RSS MiB | done/sent | wrong |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for p in points:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %d/%d | %d |" % (
            p["point"], _fmt(p["throughput_per_min"], 1), _fmt(p["latency_p50_ms"]),
            _fmt(p["latency_p95_ms"]), _fmt(p["overhead_p50_ms"]),
            _fmt(p["overhead_per_test_p50_ms"], 1), _fmt(p.get("judge_overhead_cpu_ms")),
            _fmt(p.get("tree_rss_peak_mib"), 1), p["completed"], p["submitted"],
            p["mismatches"]))
    lines += ["", "## CPU per submission (ms)", "",
              "| point | judge overhead | worker tree | dockerd + containerd | containers | "
              "programs (reported) | host busy - programs | answers | tests' CPU known | "
              "build CPU known |", "|---|---|---|---|---|---|---|---|---|---|"]
    for p in points:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            p["point"], _fmt(p.get("judge_overhead_cpu_ms")),
            _fmt(p.get("worker_tree_cpu_ms")), _fmt(p.get("daemons_cpu_ms")),
            _fmt(p.get("containers_cpu_ms")), _fmt(p.get("programs_cpu_ms")),
            _fmt(p.get("host_less_programs_cpu_ms")), p.get("cpu_answers", ""),
            p.get("program_cpu_known", ""), p.get("build_cpu_known", "")))
    lines += ["", CPU_NOTE, ""] + ["- " + note for note in cpu_caveat(points)]
    if any(p.get("side") == "baseline" for p in points):
        lines += ["", "## Side by side", ""] + side_by_side(points)
    lines += ["", "## Per language x outcome", "",
              "| point | cell | n | p50 ms | p95 ms | test ms (mean) | overhead p50 ms |",
              "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| %s | %s/%s | %d | %s | %s | %s | %s |" % (
            r["point"], r["language"], r["outcome"], r["completed"],
            _fmt(r["latency_p50_ms"]), _fmt(r["latency_p95_ms"]), _fmt(r["test_ms_mean"]),
            _fmt(r["overhead_p50_ms"])))
    lines += ["", "Latency: produce -> result consumed. Overhead: latency minus the sum of "
              "the tests' duration_ms (queueing, containers, build, Kafka).", ""]
    for c in charts:
        lines.append("![%s](%s)" % (c, c))
    with open(os.path.join(outdir, "summary.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")


def _ints(text, what):
    try:
        vals = [int(x) for x in str(text).split(",") if x.strip()]
    except ValueError:
        raise settings.SettingsError("%s: %r is not a list of integers" % (what, text))
    if not vals or any(v < 1 for v in vals):
        raise settings.SettingsError("%s: need positive integers, got %r" % (what, text))
    return vals


def _extra(parser):
    parser.add_argument("--profile", default=None,
                        help="comma-separated profiles: %s, or all" % ", ".join(PROFILES))
    parser.add_argument("--quick", action="store_true", help="short windows, one profile (CI)")
    parser.add_argument("--strict", action="store_true",
                        help="exit non-zero on any wrong verdict too (default: only when a "
                             "configuration got no result at all)")
    parser.add_argument("--lang-dir", default=None,
                        help="SCRC_LANG_DIR for started workers (default: the environment's, "
                             "else lang/ beside the scrc binary)")
    parser.add_argument("--box", default=None,
                        help="SCRC_BOX for started workers (default: the environment's, "
                             "else scrc-box beside the scrc binary)")
    parser.add_argument("--external", action="store_true",
                        help="measure an already-running worker (its topics)")
    parser.add_argument("--scrc", default=None, help="scrc binary to start workers with")
    parser.add_argument("--scrc-arg", action="append", default=[],
                        help="extra argument for `scrc worker` (repeatable)")
    parser.add_argument("--unique-sources", action="store_true",
                        help="append a comment with a nonce to every source, so no build "
                             "cache can answer (default: each scenario's source repeats)")
    parser.add_argument("--baseline-worker", default=None, metavar="PATH",
                        help="another worker binary, run with the same environment, broker "
                             "and workload, interleaved with ours point by point")
    parser.add_argument("--baseline-arg", action="append", default=[],
                        help="extra argument for the baseline's `worker` (repeatable)")
    parser.add_argument("--baseline-plain", action="store_true",
                        help="run the baseline without the `worker` subcommand or any flag "
                             "(the original Go service reads only its environment); needs "
                             "--broker")
    parser.add_argument("--baseline-lang-dir", default=None,
                        help="the baseline's SCRC_LANG_DIR (default: as for ours, lang/ "
                             "beside its binary)")
    parser.add_argument("--baseline-box", default=None,
                        help="the baseline's SCRC_BOX (default: as for ours, scrc-box beside "
                             "its binary)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure every point this many times (with a baseline, which "
                             "worker goes first alternates)")
    parser.add_argument("--parallel", default="1", help="RUNNER_MAX_PARALLEL values to sweep")
    parser.add_argument("--replicas", default="1", help="worker counts to sweep")
    parser.add_argument("--inflight", type=int, default=None,
                        help="submissions kept in flight (default 2 x replicas x parallel)")
    parser.add_argument("--warmup", type=float, default=None,
                        help="seconds after the first result not measured (quick 10, full 30)")
    parser.add_argument("--measure", type=float, default=None,
                        help="seconds measured (quick 40, full 120)")
    parser.add_argument("--cooldown", type=float, default=None,
                        help="seconds at most to wait for measured submissions after the "
                             "window (quick 40, full 90)")
    parser.add_argument("--languages", default="all", help="comma-separated languages")
    parser.add_argument("--out", default="bench-out", help="output directory")
    parser.add_argument("--assign-timeout", type=float, default=30.0)
    parser.add_argument("--ready-timeout", type=float, default=300.0,
                        help="give up on a point when no result arrived this long")


def plan_points(profiles, replicas, parallels, repeat=1, baseline=False, external=False):
    """The points to measure in order, as (profile, replicas, parallel, side,
    repeat). With a baseline each configuration is measured by both workers
    back to back, the first alternating from one repeat (and configuration)
    to the next, so a drift of the machine weighs on both alike."""
    if external:
        return [(prof, None, None, "scrc", k) for k in range(repeat) for prof in profiles]
    plan, n = [], 0
    for prof in profiles:
        for r in replicas:
            for p in parallels:
                for k in range(repeat):
                    sides = ["scrc", "baseline"] if baseline else ["scrc"]
                    if n % 2:
                        sides.reverse()
                    plan.extend((prof, r, p, side, k) for side in sides)
                    n += 1
    return plan


def point_label(prof, r, p, side, k, repeat):
    label = prof if r is None else "%s r%d p%d" % (prof, r, p)
    if side != "scrc":
        label += " " + side
    if repeat > 1:
        label += " #%d" % (k + 1)
    return label


# Rows of the side-by-side table: (label, points column, scale, digits).
SIDE_METRICS = (
    ("submissions/min", "throughput_per_min", 1.0, 1),
    ("latency p50 s", "latency_p50_ms", 0.001, 2),
    ("latency p95 s", "latency_p95_ms", 0.001, 2),
    ("judge overhead CPU ms/submission", "judge_overhead_cpu_ms", 1.0, 0),
    ("  worker tree CPU ms/submission", "worker_tree_cpu_ms", 1.0, 0),
    ("  dockerd + containerd CPU ms/submission", "daemons_cpu_ms", 1.0, 0),
    ("  containers (shims, runc, boxes, programs) CPU ms/submission", "containers_cpu_ms",
     1.0, 0),
    ("  programs' own CPU ms/submission (reported)", "programs_cpu_ms", 1.0, 0),
    ("host busy minus programs ms/submission", "host_less_programs_cpu_ms", 1.0, 0),
    ("worker peak RSS MiB", "worker_rss_peak_mib", 1.0, 1),
    ("worker + children peak RSS MiB", "tree_rss_peak_mib", 1.0, 1),
    ("worker + children peak PSS MiB (shared pages split)", "tree_pss_peak_mib", 1.0, 1),
)


def _median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2.0


def side_by_side(points):
    """Markdown lines comparing the baseline's points with ours, per
    configuration: medians over repeats, and ours / baseline."""
    configs = []
    for p in points:
        if p.get("config") not in configs:
            configs.append(p.get("config"))
    lines = ["| configuration | metric | baseline | scrc | scrc / baseline |",
             "|---|---|---|---|---|"]
    for config in configs:
        sides = {side: [p for p in points if p.get("config") == config
                        and p.get("side") == side] for side in ("baseline", "scrc")}
        for label, col, scale, nd in SIDE_METRICS:
            b = _median(p.get(col) for p in sides["baseline"])
            c = _median(p.get(col) for p in sides["scrc"])
            b = None if b is None else b * scale
            c = None if c is None else c * scale
            ratio = _fmt(c / b, 2) if b and c is not None else ""
            lines.append("| %s | %s | %s | %s | %s |" % (config, label, _fmt(b, nd),
                                                         _fmt(c, nd), ratio))
        wrong = ["%d/%d" % (sum(p["mismatches"] for p in sides[k]),
                            sum(p["completed"] for p in sides[k]))
                 for k in ("baseline", "scrc")]
        lines.append("| %s | wrong verdicts / answered | %s | %s | |" % (config, wrong[0],
                                                                           wrong[1]))
    return lines


CPU_NOTE = ("Judge overhead CPU: from the start of the measurement window to the last "
            "answer, the CPU of the worker's process tree (it hosts the embedded Kafka "
            "cluster when there is one), dockerd and containerd, and the containers (live "
            "shims and their processes, plus what init reaped: exited shims, runc, boxes), "
            "divided by the answers in that span, minus the CPU the results report for "
            "their programs (the tests' cpu_time_ms).")


def cpu_caveat(points):
    """What the overhead figure includes that it should not, said plainly."""
    notes = []
    if points and all(str(p.get("build_cpu_known", "")).startswith("0/") for p in points
                      if p.get("cpu_answers")):
        notes.append("The results report no build CPU, so the compilers' (and syntax "
                     "checks') CPU is not subtracted: the figure includes it.")
    unknown = [p["point"] for p in points if p.get("cpu_answers")
               and str(p.get("program_cpu_known")) != "%d/%d" % (p["cpu_answers"],
                                                                 p["cpu_answers"])]
    if unknown:
        notes.append("Some results carried no cpu_time_ms for their tests (%s): those "
                     "programs' CPU is counted as overhead." % ", ".join(unknown))
    notes.append("dockerd, containerd and init serve every client of the machine: run on a "
                 "quiet one.")
    return notes


def main(argv=None, environ=None):
    try:
        cfg = settings.parse(KAFKA_SETTINGS, argv, __doc__.splitlines()[0], environ, _extra)
        base = QUICK if cfg.quick else FULL
        for k in ("warmup", "measure", "cooldown"):
            if getattr(cfg, k) is None:
                setattr(cfg, k, base[k])
        profiles = scenarios.parse_filter(
            cfg.profile or base["profiles"], tuple(PROFILES), "profile")
        languages = scenarios.parse_filter(cfg.languages, scenarios.LANGUAGES, "language")
        for prof in profiles:
            sent = profile_languages(prof, languages)
            if cfg.unique_sources:
                for lang in sent:
                    if lang not in scenarios.COMMENTS:
                        raise ValueError("--unique-sources: no comment syntax known for %s "
                                         "(scenarios.COMMENTS)" % lang)
        parallels = _ints(cfg.parallel, "--parallel")
        replicas = _ints(cfg.replicas, "--replicas")
        if cfg.external == bool(cfg.scrc):
            raise settings.SettingsError("give exactly one of --external and --scrc PATH")
        if cfg.measure <= 0:
            raise settings.SettingsError("--measure must be positive")
        if cfg.repeat < 1:
            raise settings.SettingsError("--repeat must be positive")
        if cfg.baseline_worker and cfg.external:
            raise settings.SettingsError("--baseline-worker starts workers: not with --external")
        if cfg.baseline_plain and "broker" not in cfg.explicit:
            raise settings.SettingsError("--baseline-plain needs --broker (a worker run "
                                         "without flags cannot host an embedded cluster)")
    except (settings.SettingsError, ValueError) as exc:
        print("bench: %s" % exc, file=sys.stderr)
        return 2

    broker_given = "broker" in cfg.explicit
    run_id = uuid.uuid4().hex[:6]
    logdir = os.path.join(cfg.out, "logs")
    os.makedirs(logdir, exist_ok=True)
    plan = plan_points(profiles, replicas, parallels, cfg.repeat, bool(cfg.baseline_worker),
                       cfg.external)
    points, rows, all_samples = [], [], []
    failed = False
    for n, (prof, r, p, side, k) in enumerate(plan):
        label = point_label(prof, r, p, side, k, cfg.repeat)
        inflight = cfg.inflight or (2 * (r or 1) * (p or 1))
        workers = None
        if cfg.external:
            broker, topic, rtopic = cfg.broker, cfg.topic, cfg.results_topic
        else:
            tag = "bench-%s-%d" % (run_id, n)
            topic, rtopic = tag, tag + "-results"
            if broker_given:
                # A real broker may auto-create with one partition: make
                # enough for every replica and slot to get work.
                from simulator import kafkaio
                kafkaio.ensure_topics(cfg.broker, [topic, rtopic], max(2, 2 * r))
            if side == "baseline":
                binary, args, lang_dir, box = (cfg.baseline_worker, cfg.baseline_arg,
                                               cfg.baseline_lang_dir, cfg.baseline_box)
            else:
                binary, args, lang_dir, box = cfg.scrc, cfg.scrc_arg, cfg.lang_dir, cfg.box
            try:
                workers = Workers(binary, r, p, cfg.broker if broker_given else None,
                                  topic, rtopic, tag + "-workers", logdir, tag, args,
                                  lang_dir, box, plain=side == "baseline" and cfg.baseline_plain)
            except (OSError, RuntimeError) as exc:
                print("bench: %s: cannot start workers: %s" % (label, exc), file=sys.stderr)
                failed = True
                continue
            broker = workers.broker
        print("bench: %s: warm-up %.0f s, measure %.0f s, in flight %d, broker %s, %s sources"
              % (label, cfg.warmup, cfg.measure, inflight, broker,
                 "unique" if cfg.unique_sources else "repeated"), flush=True)
        try:
            samples, figures = run_point(cfg, prof, languages, broker, topic, rtopic,
                                         "bench-consumer-%s-%d" % (run_id, n), inflight,
                                         sys.stdout, cfg.unique_sources,
                                         workers.pids if workers else None)
        finally:
            if workers is not None:
                workers.stop()
        point, prow = summarize(samples, cfg.measure)
        point.update(figures)
        point.update({"point": label, "profile": prof, "replicas": r or "", "parallel": p or "",
                      "inflight": inflight, "side": side, "repeat": k + 1,
                      "config": point_label(prof, r, p, "scrc", 0, 1),
                      "sources": "unique" if cfg.unique_sources else "repeated"})
        for row in prow:
            row["point"] = label
        points.append(point)
        rows.extend(prow)
        all_samples.extend((label, s) for s in samples)
        print("bench: %s: %.1f/min, p50 %s ms, p95 %s ms, judge overhead CPU %s ms/submission, "
              "worker + children peak RSS %s MiB (PSS %s), %d wrong, %d missing" % (
                  label, point["throughput_per_min"], _fmt(point["latency_p50_ms"]),
                  _fmt(point["latency_p95_ms"]), _fmt(point["judge_overhead_cpu_ms"]),
                  _fmt(point["tree_rss_peak_mib"], 1), _fmt(point.get("tree_pss_peak_mib"), 1),
                  point["mismatches"], point["missing"]),
              flush=True)
        if point["completed"] == 0 or (cfg.strict and point["mismatches"]):
            failed = True
    meta = {"run": run_id, "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
            "mode": "external" if cfg.external else "scrc %s" % cfg.scrc,
            "windows": "warm-up %.0f s, measure %.0f s, cool-down %.0f s"
                       % (cfg.warmup, cfg.measure, cfg.cooldown),
            "sources": "unique per submission (--unique-sources)" if cfg.unique_sources
                       else "each scenario's source repeated",
            "languages": ",".join(languages), "machine": "%d CPUs" % (os.cpu_count() or 0)}
    if cfg.baseline_worker:
        meta["baseline"] = "%s%s, interleaved, %d repeat(s)" % (
            cfg.baseline_worker, " (plain)" if cfg.baseline_plain else "", cfg.repeat)
    write_outputs(cfg.out, points, rows, all_samples, meta)
    if cfg.baseline_worker:
        print("\nside by side (%s sources; medians over %d repeat(s)):"
              % (points[0]["sources"] if points else "", cfg.repeat))
        print("\n".join(side_by_side(points)))
    for note in cpu_caveat(points):
        print("bench: note: %s" % note)
    print("bench: wrote %s/summary.md" % cfg.out, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
