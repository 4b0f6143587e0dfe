"""The benchmark's workload "original", --unique-sources, the CPU split read
from /proc and the side-by-side table: their pure parts."""

import os
import shutil
import subprocess

import pytest

from simulator import bench, hostcpu, scenarios

ORIGINAL = ("python", "go", "c", "cpp", "java")


def test_original_workload_is_the_25_scenarios_once_each():
    mix = bench.build_mix("original", scenarios.LANGUAGES)
    assert len(mix) == 25
    assert {(lang, out) for lang, out, _ in mix} == {
        (lang, out) for lang in ORIGINAL for out in ("ok", "wa", "tl", "ml", "bf")}
    # Two tests each, as our matrix judges them, and our limits.
    assert {n for _, _, n in mix} == {2}
    for lang, out, n in mix:
        sc = scenarios.scenario(lang, out, n)
        assert sc.tests == scenarios.DEFAULT_TESTS
        assert sc.expected_status == out.upper()
        assert os.path.exists(sc.script_path), sc.script_path
    assert scenarios.scenario("java", "ok").memory_limit_bytes == 256 << 20


def test_original_workload_narrowed_by_languages():
    mix = bench.build_mix("original", ("c", "ruby", "python"))
    assert {lang for lang, _, _ in mix} == {"python", "c"} and len(mix) == 10
    with pytest.raises(ValueError, match="none of them"):
        bench.build_mix("original", ("ruby",))
    # Profiles without languages of their own keep taking every selected one.
    assert {lang for lang, _, _ in bench.build_mix("light", ("ruby",))} == {"ruby"}


def test_unique_source_for_every_language():
    for lang in scenarios.LANGUAGES:
        src = scenarios.scenario(lang, "ok").source()
        a = scenarios.unique_source(lang, src, "n1")
        b = scenarios.unique_source(lang, src, "n2")
        assert a != b and a.startswith(src) and a.endswith("\n"), lang
        prefix, suffix = scenarios.COMMENTS[lang]
        last = a.rstrip("\n").rsplit("\n", 1)[-1]
        assert last.startswith(prefix) and last.endswith(suffix) and "n1" in last, lang


def test_comment_table_agrees_with_the_programs_own_comments():
    # Most programs open with a comment written by hand in their language:
    # the table must use the same syntax.
    checked = 0
    for lang in scenarios.LANGUAGES:
        first = scenarios.scenario(lang, "ok").source().split("\n", 1)[0]
        prefix, _ = scenarios.COMMENTS[lang]
        if first[:1] in "#/-!{(*;%\\" and not first.startswith("#include") \
                and not first.startswith("#lang"):
            assert first.startswith(prefix), (lang, first)
            checked += 1
    assert checked >= 25


def test_unique_source_styles_and_refusals():
    assert scenarios.unique_source("c", "int x;", "ab") == "int x;\n// unique ab\n"
    assert scenarios.unique_source("python", "pass\n", 7) == "pass\n# unique 7\n"
    assert scenarios.unique_source("ocaml", "", "z") == "(* unique z *)\n"
    assert scenarios.unique_source("pascal", "end.\n", "z") == "end.\n{ unique z }\n"
    with pytest.raises(KeyError, match="brainfuck"):
        scenarios.unique_source("brainfuck", "+", "n")
    with pytest.raises(ValueError):
        scenarios.unique_source("python", "pass\n", "a\nimport os")
    with pytest.raises(ValueError):
        scenarios.unique_source("ocaml", "", "x*)y")


def _run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, **kw)


@pytest.mark.skipif(not shutil.which("gcc"), reason="no gcc")
def test_unique_c_program_still_compiles_and_answers(tmp_path):
    src = scenarios.scenario("c", "ok").source()
    path = tmp_path / "main.c"
    path.write_text(scenarios.unique_source("c", src, "deadbeef-1"))
    assert _run(["gcc", "-o", str(tmp_path / "main"), str(path)]).returncode == 0
    assert _run([str(tmp_path / "main")], input="40 2\n").stdout == "42\n"


def test_unique_python_program_still_answers(tmp_path):
    path = tmp_path / "main.py"
    path.write_text(scenarios.unique_source("python", scenarios.scenario(
        "python", "ok").source(), "deadbeef-2"))
    import sys
    assert _run([sys.executable, str(path)], input="1 2\n").stdout == "3\n"


def test_program_cpu_from_a_result():
    rec = {"tests": [{"status": "OK", "cpu_time_ms": 12}, {"status": "WA", "cpu_time_ms": 5},
                     {"status": "-"}]}
    assert bench.program_cpu(rec) == (17, True, False)
    # The original's results: no cpu_time_ms, so not known.
    assert bench.program_cpu({"tests": [{"status": "OK", "duration_ms": 9}]}) == (0, False, False)
    assert bench.program_cpu({"tests": [], "build_cpu_time_ms": 300}) == (300, True, True)
    assert bench.program_cpu({"build": {"cpu_time_ms": 40},
                              "tests": [{"status": "OK", "cpu_time_ms": 2}]}) == (42, True, True)


# A fake /proc: stat lines in proc(5)'s layout.
def _stat(pid, comm, ppid, utime, stime, cutime=0, cstime=0, rss=0):
    rest = ["S", ppid, 0, 0, 0, -1, 0, 0, 0, 0, 0, utime, stime, cutime, cstime,
            20, 0, 1, 0, 100, 4096, rss] + [0] * 20
    return "%d (%s) %s\n" % (pid, comm, " ".join(str(x) for x in rest))


def _write_proc(root, procs, busy, idle=1000):
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    for args in procs:
        (root / str(args[0])).mkdir()
        (root / str(args[0]) / "stat").write_text(_stat(*args))
    # user nice system idle iowait irq softirq
    (root / "stat").write_text("cpu  %d 0 0 %d 50 0 0 0 0 0\ncpu0 1 2 3\n" % (busy, idle))


def test_parse_stat_comm_with_parentheses():
    p = hostcpu.parse_stat(_stat(42, "a) (b", 7, 3, 4, 5, 6, rss=9))
    assert (p.pid, p.ppid, p.comm, p.own, p.reaped, p.rss) == (42, 7, "a) (b", 7, 11, 9)


def test_parse_stat_of_this_process():
    with open("/proc/self/stat") as fh:
        p = hostcpu.parse_stat(fh.read())
    assert p.pid == os.getpid() and p.ppid == os.getppid() and p.rss > 0


def test_cpu_split_counts_every_tick_once(tmp_path):
    root = tmp_path / "proc"
    # init(1); dockerd(10) > containerd(11); worker(100) > judge(101) > docker CLI(102);
    # shim(200) > box(201); an unrelated process(300).
    _write_proc(root, [
        (1, "init", 0, 1, 1, 500, 0),
        (10, "dockerd", 1, 100, 50),
        (11, "containerd", 10, 20, 10),
        (100, "scrc", 1, 30, 10, 5, 5),
        (101, "scrc", 100, 5, 5),
        (102, "docker", 101, 8, 2),
        (200, "containerd-shim", 1, 4, 1),
        (201, "scrc-box", 200, 50, 0),
        (300, "other", 1, 999, 999),
    ], busy=10000)
    before = hostcpu.snapshot([100], str(root))
    assert before == {"worker": 30 + 10 + 5 + 5 + 10 + 10, "daemons": 180,
                      "containers": 500 + 5 + 50, "host": 10000}
    # Later: the CLI exited and its judge reaped it (8+2 -> 101's cutime, plus 4
    # more of its own after the first snapshot); the box exited into the shim,
    # which exited into init; a new shim with a live box runs; the worker
    # spent 20 more ticks; dockerd 30.
    _write_proc(root, [
        (1, "init", 0, 1, 1, 500 + (4 + 1 + 2) + (50 + 70), 0),
        (10, "dockerd", 1, 130, 50),
        (11, "containerd", 10, 20, 10),
        (100, "scrc", 1, 50, 10, 5, 5),
        (101, "scrc", 100, 5, 5, 12, 2),
        (202, "containerd-shim", 1, 3, 0, 6, 0),
        (203, "scrc-box", 202, 10, 0),
        (300, "other", 1, 2999, 999),
    ], busy=14000)
    after = hostcpu.snapshot([100], str(root))
    d = {k: after[k] - before[k] for k in after}
    # Worker tree: 20 (worker) + 4 (the CLI's ticks after the first snapshot).
    assert d["worker"] == 24
    assert d["daemons"] == 30
    # Containers: old shim +2 own, old box +70, new shim 3+6, new box 10.
    assert d["containers"] == 2 + 70 + 9 + 10
    tick = 100
    split = hostcpu.cpu_split(before, after, answered=2, program_ms=600, tick=tick)
    # ms per submission: ticks * 10 / 2.
    assert split["worker"] == 120.0 and split["daemons"] == 150.0
    assert split["containers"] == 455.0 and split["programs"] == 300.0
    assert split["overhead"] == pytest.approx(120 + 150 + 455 - 300)
    assert split["host_less_programs"] == pytest.approx(4000 * 10 / 2 - 300)
    assert hostcpu.cpu_split(before, after, 0, 0, tick) is None


def test_cpu_split_without_a_worker_tree(tmp_path):
    root = tmp_path / "proc"
    _write_proc(root, [(1, "init", 0, 0, 0)], busy=10)
    snap = hostcpu.snapshot(None, str(root))
    assert snap["worker"] is None
    split = hostcpu.cpu_split(snap, snap, 1, 0, 100)
    assert split["worker"] is None and split["overhead"] is None and split["daemons"] == 0


def test_rss_peak_of_the_tree(tmp_path):
    root = tmp_path / "proc"
    _write_proc(root, [(1, "init", 0, 0, 0, 0, 0, 1000), (100, "scrc", 1, 0, 0, 0, 0, 10),
                       (101, "docker", 100, 0, 0, 0, 0, 30), (300, "x", 1, 0, 0, 0, 0, 500)], 0)
    peak = hostcpu.RssPeak([100], str(root))
    peak.sample()
    _write_proc(root, [(1, "init", 0, 0, 0), (100, "scrc", 1, 0, 0, 0, 0, 20)], 0)
    peak.sample()
    assert peak.worker == 20 * hostcpu.PAGE and peak.tree == 40 * hostcpu.PAGE
    # No smaps_rollup in this fake /proc: PSS falls back to the whole RSS.
    assert peak.tree_pss == 40 * hostcpu.PAGE


def test_pss_splits_what_the_tree_shares(tmp_path):
    root = tmp_path / "proc"
    _write_proc(root, [(1, "init", 0, 0, 0), (100, "scrc", 1, 0, 0, 0, 0, 10),
                       (101, "docker", 100, 0, 0, 0, 0, 6000),
                       (102, "docker", 100, 0, 0, 0, 0, 6000)], 0)
    # Two CLIs of 24 MB RSS each, 20 MB of it the binary's pages they share.
    for pid, pss_kb in ((101, 14336), (102, 14336)):
        (root / str(pid) / "smaps_rollup").write_text(
            "00400000-7ffff000 ---p 00000000 00:00 0 [rollup]\n"
            "Rss:               24576 kB\nPss:               %d kB\n" % pss_kb)
    peak = hostcpu.RssPeak([100], str(root))
    peak.sample()
    assert peak.tree == 12010 * hostcpu.PAGE
    assert peak.tree_pss == 10 * hostcpu.PAGE + 2 * 14336 * 1024


def test_plan_interleaves_and_alternates():
    plan = bench.plan_points(("original",), (1,), (2, 4), repeat=2, baseline=True)
    sides = [(p, side, k) for _, _, p, side, k in plan]
    assert sides == [(2, "scrc", 0), (2, "baseline", 0), (2, "baseline", 1), (2, "scrc", 1),
                     (4, "scrc", 0), (4, "baseline", 0), (4, "baseline", 1), (4, "scrc", 1)]
    assert [s for _, _, _, s, _ in bench.plan_points(("light",), (1,), (1,))] == ["scrc"]
    assert bench.point_label("original", 1, 2, "baseline", 1, 2) == "original r1 p2 baseline #2"


def _point(side, tput, p50, over, rss, wrong=0, done=25):
    return {"config": "original r1 p2", "side": side, "throughput_per_min": tput,
            "latency_p50_ms": p50, "latency_p95_ms": None, "judge_overhead_cpu_ms": over,
            "tree_rss_peak_mib": rss, "mismatches": wrong, "completed": done}


def test_side_by_side_table():
    points = [_point("scrc", 40.0, 1500.0, 300.0, 60.0),
              _point("baseline", 20.0, 3000.0, 600.0, 30.0, wrong=8),
              _point("baseline", 30.0, 2000.0, 500.0, 34.0, wrong=1),
              _point("scrc", 50.0, 1000.0, 100.0, 64.0)]
    lines = bench.side_by_side(points)
    assert lines[0] == "| configuration | metric | baseline | scrc | scrc / baseline |"
    rows = {line.split(" | ")[1]: line for line in lines[2:]}
    # Medians over the two repeats, then ours / baseline.
    assert rows["submissions/min"] == "| original r1 p2 | submissions/min | 25.0 | 45.0 | 1.80 |"
    assert rows["latency p50 s"].endswith("| 2.50 | 1.25 | 0.50 |")
    assert rows["latency p95 s"].endswith("|  |  |  |")
    assert rows["judge overhead CPU ms/submission"].endswith("| 550 | 200 | 0.36 |")
    assert rows["worker + children peak RSS MiB"].endswith("| 32.0 | 62.0 | 1.94 |")
    assert rows["wrong verdicts / answered"].endswith("| 9/50 | 0/50 | |")
