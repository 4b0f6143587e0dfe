"""The benchmark's pure parts: mixes, windows, summaries."""

import pytest

from simulator import bench
from simulator.bench import Sample


def test_mix_covers_profile_and_languages():
    mix = bench.build_mix("medium", ("c", "go"))
    assert mix.count(("c", "ok", 2)) == 2 and mix.count(("go", "ok", 2)) == 2
    assert ("go", "bf", 2) in mix and all(o != "tl" for _, o, _ in mix)
    heavy = bench.build_mix("heavy", ("python",))
    assert all(n == 50 for _, _, n in heavy)
    tl = bench.build_mix("timeout-heavy", ("c",))
    assert sum(1 for _, o, _ in tl if o == "tl") == 3 * sum(1 for _, o, _ in tl if o == "ok")
    assert set(o for _, o, _ in bench.build_mix("light", ("c",))) == {"ok"}


def test_phases():
    assert bench.phase_at(100.0, 100.0, 10, 20) == "warmup"
    assert bench.phase_at(110.0, 100.0, 10, 20) == "measure"
    assert bench.phase_at(129.9, 100.0, 10, 20) == "measure"
    assert bench.phase_at(130.0, 100.0, 10, 20) == "cooldown"


def sample(i, phase, produced, latency_s, lang="c", out="ok", test_ms=0, tests_run=2,
           match=True):
    s = Sample("id%d" % i, lang, out, 2, phase, produced, "OK", ("OK", "OK"))
    if latency_s is not None:
        s.result_at = produced + latency_s
        s.status, s.match, s.tests_run, s.test_ms = "OK", match, tests_run, test_ms
    return s


def test_summary():
    samples = [sample(0, "warmup", 0.0, 0.5)]
    # Ten measured submissions, one a second from t=10, taking 0.1 s * (i+1),
    # with 40 ms of test time each.
    for i in range(10):
        samples.append(sample(i + 1, "measure", 10.0 + i, 0.1 * (i + 1), test_ms=40))
    samples.append(sample(99, "measure", 19.5, None))            # never answered
    samples.append(sample(98, "measure", 19.6, 0.2, lang="go", match=False))
    point, rows = bench.summarize(samples, 20.0)
    assert point["submitted"] == 12 and point["completed"] == 11 and point["missing"] == 1
    assert point["mismatches"] == 1
    # All 11 answers land inside [10, 30): 11 per 20 s = 33 per minute.
    assert point["throughput_per_min"] == 33.0
    assert point["latency_p50_ms"] == pytest.approx(500.0)
    by = {(r["language"], r["outcome"]): r for r in rows}
    c = by[("c", "ok")]
    assert c["submitted"] == 11 and c["completed"] == 10
    assert c["latency_p50_ms"] == pytest.approx(550.0)
    assert c["latency_p95_ms"] == pytest.approx(955.0)
    assert c["test_ms_mean"] == 40.0
    assert c["overhead_p50_ms"] == pytest.approx(510.0)
    assert c["overhead_per_test_p50_ms"] == pytest.approx(255.0)
    assert by[("go", "ok")]["mismatches"] == 1


def test_throughput_counts_only_the_window():
    samples = [sample(i, "measure", 10.0 + i, 15.0) for i in range(10)]
    point, _ = bench.summarize(samples, 10.0)
    # Window [10, 20): answers arrive at 25..34, none inside.
    assert point["throughput_per_min"] == 0.0 and point["completed"] == 10


def test_worker_paths(tmp_path):
    (tmp_path / "lang").mkdir()
    (tmp_path / "scrc-box").write_text("")
    scrc = str(tmp_path / "scrc")
    got = bench.worker_paths(scrc, None, None, {})
    assert got == {"SCRC_LANG_DIR": str(tmp_path / "lang"),
                   "SCRC_BOX": str(tmp_path / "scrc-box")}
    assert bench.worker_paths(scrc, None, None, {"SCRC_LANG_DIR": "/l", "SCRC_BOX": "/b"}) == {}
    assert bench.worker_paths(scrc, "/x", None, {"SCRC_BOX": "/b"}) == {"SCRC_LANG_DIR": "/x"}
