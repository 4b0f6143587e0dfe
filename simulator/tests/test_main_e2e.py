"""simulator.main end to end, against a stand-in worker on a mock Kafka."""

import json
import subprocess

from simulator import scenarios
from simulator.tests.helpers import TOP, FakeWorker, env_for_subprocess


def run_main(python, tmp_path, bootstrap, *args, timeout=120):
    log = tmp_path / "consumer.log"
    proc = subprocess.run(
        [python, "-m", "simulator.main", "--broker", bootstrap, "--log", str(log)] + list(args),
        cwd=TOP, env=env_for_subprocess(), capture_output=True, text=True, timeout=timeout)
    lines = [json.loads(x) for x in log.read_text().splitlines()] if log.exists() else []
    return proc, lines


def table_rows(stdout):
    rows = {}
    for line in stdout.splitlines():
        parts = line.split()
        if parts and parts[0] in scenarios.LANGUAGES:
            rows[parts[0]] = parts[1:]
    return rows


def test_whole_matrix_passes(tmp_path):
    with FakeWorker(tmp_path) as fw:
        proc, log = run_main(fw.python, tmp_path, fw.bootstrap, "--wait-timeout", "20")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "simulator: PASS" in proc.stdout
    rows = table_rows(proc.stdout)
    assert len(rows) == len(scenarios.LANGUAGES)
    for cells in rows.values():
        assert cells == ["OK", "WA", "TL", "ML", "BF", "RE"]
    results = [x for x in log if x["event"] == "result"]
    assert len(results) == len(scenarios.LANGUAGES) * 6 and all(x["match"] for x in results)
    assert {x["id"].split("-", 3)[3] for x in results} == {
        "%s-%s" % (l, o) for l in rows for o in ("ok", "wa", "tl", "ml", "bf", "re")}
    assert all(x["record"]["id"] == x["id"] for x in results)
    assert log[-1]["event"] == "end" and log[-1]["missing"] == 0


def test_wrong_missing_and_conflicting_verdicts_fail(tmp_path):
    with FakeWorker(tmp_path, "--wrong", "python-wa=OK", "--drop", "c-tl",
                    "--conflict", "go-re=OK") as fw:
        proc, log = run_main(fw.python, tmp_path, fw.bootstrap, "--wait-timeout", "4",
                             "--languages", "python,c,go", "--outcomes", "wa,tl,re")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "simulator: FAIL" in proc.stdout
    rows = table_rows(proc.stdout)
    assert set(rows) == {"python", "c", "go"}
    assert rows["python"] == ["OK!=WA", "!", "TL", "RE"]
    assert rows["c"] == ["WA", "missing", "!", "RE"]
    assert rows["go"][:2] == ["WA", "TL"] and rows["go"][2].startswith("DUP!OK")
    assert "no result received" in proc.stdout
    end = log[-1]
    assert end["missing"] == 1 and end["duplicates"] == 1


def test_results_of_other_runs_are_ignored(tmp_path):
    # Two runs in a row on the same topics: the second reads the first's
    # results from the beginning of the topic, and must count only its own.
    with FakeWorker(tmp_path) as fw:
        first, _ = run_main(fw.python, tmp_path, fw.bootstrap, "--outcomes", "ok,wa",
                            "--languages", "c", "--wait-timeout", "20")
        second, log = run_main(fw.python, tmp_path, fw.bootstrap, "--outcomes", "ok",
                               "--languages", "c", "--iterations", "2", "--wait-timeout", "20")
    assert first.returncode == 0 and second.returncode == 0, second.stdout
    assert "produced 2, results 2 (duplicates 0), missing 0" in second.stdout


def test_usage_errors(tmp_path):
    proc = subprocess.run(
        [__import__("sys").executable, "-m", "simulator.main", "--languages", "cobol",
         "--log", str(tmp_path / "l")],
        cwd=TOP, env=env_for_subprocess(), capture_output=True, text=True, timeout=60)
    # Refused before any Kafka client is needed.
    assert proc.returncode == 2 and "unknown language 'cobol'" in proc.stderr
    proc = subprocess.run(
        [__import__("sys").executable, "-m", "simulator.main", "--iterations", "x"],
        cwd=TOP, env=env_for_subprocess(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--iterations" in proc.stderr
