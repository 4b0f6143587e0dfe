"""simulator.main end to end, against a stand-in worker on a mock Kafka."""

import json
import subprocess

from simulator import problems, scenarios
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


def problem_rows(stdout):
    """{name: [language, expected, checks..., verdict...]} of the problems table."""
    rows = {}
    for line in stdout.splitlines():
        parts = line.split()
        if parts and parts[0] in problems.NAMES:
            rows[parts[0]] = parts[1:]
    return rows


def test_whole_matrix_and_problems_pass(tmp_path):
    with FakeWorker(tmp_path) as fw:
        proc, log = run_main(fw.python, tmp_path, fw.bootstrap, "--wait-timeout", "20")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "simulator: PASS" in proc.stdout
    matrix = len(scenarios.all_scenarios())
    assert "(matrix %d, problems %d)" % (matrix, len(problems.PROBLEMS)) in proc.stdout
    rows = table_rows(proc.stdout)
    assert len(rows) == len(scenarios.LANGUAGES)
    for lang, cells in rows.items():
        assert cells == [o.upper() if scenarios.possible(lang, o) else "n/a"
                         for o in scenarios.OUTCOMES], lang
    # One row per problem, its verdict (the last cell) the expected status.
    prows = problem_rows(proc.stdout)
    assert list(prows) == list(problems.NAMES)
    for pb in problems.PROBLEMS:
        assert prows[pb.name][0] == pb.language
        assert prows[pb.name][1] == prows[pb.name][-1] == pb.expected_status
    results = [x for x in log if x["event"] == "result"]
    assert all(x["match"] for x in results)
    matrix = [x for x in results if x["table"] == "matrix"]
    assert len(matrix) == len(scenarios.all_scenarios())
    assert {x["id"].split("-", 3)[3] for x in matrix} == {
        "%s-%s" % (l, o) for l in rows for o in scenarios.OUTCOMES if scenarios.possible(l, o)}
    solved = [x for x in results if x["table"] == "problems"]
    assert {x["id"].split("-", 4)[4] for x in solved} == set(problems.NAMES)
    groups = next(x for x in solved if x["outcome"] == "groups")
    assert groups["expected_fields"]["score"] == 65 and groups["observed_fields"]["score"] == 65
    assert groups["record"]["groups"][1] == {"name": "g2", "points": 30, "score": 15,
                                             "status": "WA"}
    assert all(x["record"]["id"] == x["id"] for x in results)
    assert log[-1]["event"] == "end" and log[-1]["missing"] == 0


def test_wrong_missing_and_conflicting_verdicts_fail(tmp_path):
    with FakeWorker(tmp_path, "--wrong", "python-wa=OK", "--drop", "c-tl",
                    "--conflict", "go-re=OK") as fw:
        proc, log = run_main(fw.python, tmp_path, fw.bootstrap, "--wait-timeout", "4",
                             "--languages", "python,c,go", "--outcomes", "wa,tl,re",
                             "--tables", "matrix")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "simulator: FAIL" in proc.stdout
    rows = table_rows(proc.stdout)
    assert set(rows) == {"python", "c", "go"}
    assert rows["python"] == ["OK!=WA", "!", "TL", "RE"]
    assert rows["c"] == ["WA", "missing", "!", "RE"]
    assert rows["go"][:2] == ["WA", "TL"] and rows["go"][2].startswith("DUP!OK")
    assert "no result received" in proc.stdout
    assert not problem_rows(proc.stdout)
    end = log[-1]
    assert end["missing"] == 1 and end["duplicates"] == 1


def test_wrong_problem_fields_fail_with_the_field_named(tmp_path):
    # Right statuses, but the score of groups, the per-test scores of
    # checker-partial and java's applied limit are off; interactive-linear
    # gets another status; files-c is never answered.
    with FakeWorker(tmp_path, "--bad-field", "groups=score",
                    "--bad-field", "checker-partial=tests.score",
                    "--bad-field", "limits-java=time_limit_ms",
                    "--wrong", "interactive-linear=OK", "--drop", "files-c") as fw:
        # files-c is awaited for the whole timeout: long enough for the
        # fake worker to join its group on a busy machine, short enough.
        proc, log = run_main(fw.python, tmp_path, fw.bootstrap, "--wait-timeout", "8",
                             "--tables", "problems")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "(matrix 0, problems %d)" % len(problems.PROBLEMS) in proc.stdout
    assert not table_rows(proc.stdout)
    prows = problem_rows(proc.stdout)
    assert list(prows) == list(problems.NAMES)
    assert prows["groups"][-2:] == ["WA!score", "!"]
    assert prows["checker-partial"][-2:] == ["WA!tests.score", "!"]
    assert prows["limits-java"][-2:] == ["OK!time_limit_ms", "!"]
    assert prows["interactive-linear"][-2:] == ["OK!=WA", "!"]
    assert prows["files-c"][-2:] == ["missing", "!"]
    assert prows["checker-ok"][-1] == "OK" and prows["groups-skip"][-1] == "WA"
    assert "score 64, expected 65" in proc.stdout
    assert "tests.score [0,0.25], expected [1,0.25]" in proc.stdout
    assert "time_limit_ms 1999, expected 2000" in proc.stdout
    assert "status OK, expected WA" in proc.stdout
    bad = {x["outcome"]: x for x in log if x["event"] == "result" and not x["match"]}
    assert set(bad) == {"groups", "checker-partial", "limits-java", "interactive-linear"}
    assert bad["groups"]["observed_fields"]["score"] == 64
    assert bad["groups"]["expected_fields"]["reason"] == "a non-empty string"
    assert log[-1]["missing"] == 1


def test_problems_narrowed_by_name_and_language(tmp_path):
    with FakeWorker(tmp_path) as fw:
        proc, log = run_main(fw.python, tmp_path, fw.bootstrap, "--wait-timeout", "20",
                             "--languages", "python", "--outcomes", "ok",
                             "--problems", "files-python,files-c,limits-java")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # files-c and limits-java are not in python: only files-python is left.
    assert "produced 2, results 2" in proc.stdout
    assert list(problem_rows(proc.stdout)) == ["files-python"]
    assert table_rows(proc.stdout) == {"python": ["OK"]}


def test_results_of_other_runs_are_ignored(tmp_path):
    # Two runs in a row on the same topics: the second reads the first's
    # results from the beginning of the topic, and must count only its own.
    with FakeWorker(tmp_path) as fw:
        first, _ = run_main(fw.python, tmp_path, fw.bootstrap, "--outcomes", "ok,wa",
                            "--languages", "c", "--wait-timeout", "20")
        second, log = run_main(fw.python, tmp_path, fw.bootstrap, "--outcomes", "ok",
                               "--languages", "c", "--iterations", "2", "--wait-timeout", "20",
                               "--tables", "matrix")
    assert first.returncode == 0 and second.returncode == 0, second.stdout
    assert "produced 2, results 2 (duplicates 0), missing 0" in second.stdout


def test_usage_errors(tmp_path):
    proc = subprocess.run(
        [__import__("sys").executable, "-m", "simulator.main", "--languages", "intercal",
         "--log", str(tmp_path / "l")],
        cwd=TOP, env=env_for_subprocess(), capture_output=True, text=True, timeout=60)
    # Refused before any Kafka client is needed.
    assert proc.returncode == 2 and "unknown language 'intercal'" in proc.stderr
    proc = subprocess.run(
        [__import__("sys").executable, "-m", "simulator.main", "--iterations", "x"],
        cwd=TOP, env=env_for_subprocess(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--iterations" in proc.stderr
    for args, msg in ((["--tables", "matrix,quiz"], "unknown table 'quiz'"),
                      (["--problems", "groups,nope"], "unknown problem 'nope'"),
                      (["--tables", "problems", "--languages", "go"], "nothing selected"),
                      (["--tables", "problems", "--programs-dir", str(tmp_path)],
                       "cannot read the program of problem checker-ok")):
        proc = subprocess.run(
            [__import__("sys").executable, "-m", "simulator.main", "--log",
             str(tmp_path / "l")] + args,
            cwd=TOP, env=env_for_subprocess(), capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and msg in proc.stderr, (args, proc.stderr)
