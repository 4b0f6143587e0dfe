"""simulator.bench sweeping stand-in workers it starts itself."""

import csv
import stat
import subprocess

from simulator.tests.helpers import TOP, env_for_subprocess, kafka_python


def test_sweep_writes_csv_charts_and_summary(tmp_path):
    python = kafka_python(("matplotlib",))
    scrc = tmp_path / "scrc"
    scrc.write_text("#!/bin/sh\ncd %s && exec %s -m simulator.tests.fake_worker \"$@\"\n"
                    % (TOP, python))
    scrc.chmod(scrc.stat().st_mode | stat.S_IXUSR)
    out = tmp_path / "out"
    proc = subprocess.run(
        [python, "-m", "simulator.bench", "--scrc", str(scrc), "--scrc-arg=--test-delay-ms=20",
         "--profile", "light,medium", "--parallel", "1,2", "--languages", "c,python",
         "--warmup", "1", "--measure", "3", "--cooldown", "5", "--out", str(out)],
        cwd=TOP, env=env_for_subprocess(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("samples.csv", "summary.csv", "points.csv", "summary.md", "throughput.png",
                 "latency.png"):
        assert (out / name).stat().st_size > 0, name
    points = list(csv.DictReader(open(out / "points.csv")))
    assert [p["point"] for p in points] == ["light r1 p1", "light r1 p2",
                                           "medium r1 p1", "medium r1 p2"]
    for p in points:
        assert float(p["throughput_per_min"]) > 0
        assert int(p["mismatches"]) == 0 and int(p["missing"]) == 0
        # Each test "ran" 20 ms, so latency is above that and overhead below it.
        assert float(p["latency_p50_ms"]) >= 20
    rows = list(csv.DictReader(open(out / "summary.csv")))
    cells = {(r["point"], r["language"], r["outcome"]) for r in rows}
    assert ("medium r1 p2", "python", "bf") in cells and ("light r1 p1", "c", "ok") in cells
    ok_rows = [r for r in rows if r["outcome"] == "ok" and r["completed"] != "0"]
    assert ok_rows and all(float(r["test_ms_mean"]) == 40.0 for r in ok_rows)
    samples = list(csv.DictReader(open(out / "samples.csv")))
    assert {s["phase"] for s in samples} >= {"warmup", "measure"}
    assert all(s["worker"].startswith("bench-") for s in samples if s["latency_ms"])
    md = (out / "summary.md").read_text()
    assert "| light r1 p2 |" in md and "![throughput.png](throughput.png)" in md


def test_bench_refuses_bad_arguments(tmp_path):
    python = kafka_python()
    for args, msg in ((["--external", "--scrc", "x"], "exactly one of"),
                      (["--scrc", "x", "--parallel", "0"], "--parallel"),
                      (["--external", "--profile", "huge"], "unknown profile")):
        proc = subprocess.run([python, "-m", "simulator.bench", "--out", str(tmp_path)] + args,
                              cwd=TOP, env=env_for_subprocess(), capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == 2 and msg in proc.stderr, proc.stderr


def test_original_unique_sources_side_by_side(tmp_path):
    python = kafka_python(("matplotlib",))
    fake = tmp_path / "fake"
    fake.write_text("#!/bin/sh\ncd %s && exec %s -m simulator.tests.fake_worker \"$@\"\n"
                    % (TOP, python))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    out = tmp_path / "out"
    proc = subprocess.run(
        [python, "-m", "simulator.bench", "--scrc", str(fake), "--baseline-worker", str(fake),
         "--scrc-arg=--test-delay-ms=10", "--baseline-arg=--test-delay-ms=30",
         "--profile", "original", "--unique-sources", "--parallel", "1",
         "--warmup", "1", "--measure", "3", "--cooldown", "5", "--out", str(out)],
        cwd=TOP, env=env_for_subprocess(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The fake knows a program with its nonce comment only as the benchmark
    # writes it: every verdict right means every source arrived rewritten.
    points = list(csv.DictReader(open(out / "points.csv")))
    assert [(p["point"], p["side"]) for p in points] == [
        ("original r1 p1", "scrc"), ("original r1 p1 baseline", "baseline")]
    for p in points:
        assert int(p["mismatches"]) == 0 and int(p["completed"]) > 0
        assert p["sources"] == "unique" and p["build_cpu_known"].startswith("0/")
        assert float(p["worker_tree_cpu_ms"]) >= 0 and float(p["tree_rss_peak_mib"]) > 0
        assert p["judge_overhead_cpu_ms"] != ""
    samples = list(csv.DictReader(open(out / "samples.csv")))
    assert {s["language"] for s in samples} == {"python", "go", "c", "cpp", "java"}
    assert "| original r1 p1 | submissions/min |" in proc.stdout
    assert "no build CPU" in proc.stdout
    md = (out / "summary.md").read_text()
    assert "## Side by side" in md and "judge overhead CPU ms/submission" in md


def test_plain_baseline_needs_a_broker(tmp_path):
    proc = subprocess.run(
        [kafka_python(), "-m", "simulator.bench", "--scrc", "x", "--baseline-worker", "y",
         "--baseline-plain", "--out", str(tmp_path)],
        cwd=TOP, env=env_for_subprocess(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--baseline-plain needs --broker" in proc.stderr
