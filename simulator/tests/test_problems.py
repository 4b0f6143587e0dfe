"""The problems table: its rows, their submissions, the selection in main,
and every row's expectation replayed on the real programs with the local
compilers (no Docker: a small stand-in judge following PROTOCOL.md)."""

import argparse
import io
import os
import re
import shutil
import subprocess
import sys

import pytest

from simulator import main, problems, scenarios, verdict
from simulator.verdict import Contains, NonEmpty

STATUSES = {"OK", "WA", "TL", "ML", "BF", "RE", "OL", "IE", "-"}


def first_failure(statuses):
    """The top-level status PROTOCOL.md derives from the tests'."""
    return next((s for s in statuses if s not in ("OK", "-")), "OK")


def test_every_row_is_consistent():
    names = [pb.name for pb in problems.PROBLEMS]
    assert len(set(names)) == len(names) and tuple(names) == problems.NAMES
    # Cells are filed under (language, name): no name may be a matrix outcome.
    assert not set(names) & set(scenarios.OUTCOMES)
    for pb in problems.PROBLEMS:
        assert re.fullmatch(r"[a-z][a-z0-9-]*", pb.name), pb.name
        assert pb.what and pb.language in scenarios.LANGUAGES
        assert pb.tests and len(pb.expected_tests) == len(pb.tests), pb.name
        assert set(pb.expected_tests) <= STATUSES
        assert pb.expected_status == first_failure(pb.expected_tests), pb.name
        for path in pb.paths():
            assert os.path.isfile(problems.program_path(path)), path
        for path, want in pb.fields:
            if path.startswith("tests."):
                assert len(want) == len(pb.tests), (pb.name, path)
        checks = dict(pb.checks())
        assert checks["error"] == ""
        assert isinstance(checks.get("reason"), NonEmpty) == (pb.expected_status != "OK")
        if pb.groups:
            numbers = [n for g in pb.groups for n in g["tests"]]
            assert sorted(numbers) == list(range(1, len(pb.tests) + 1))
            assert checks["max_score"] == sum(g["points"] for g in pb.groups)


def test_the_table_covers_the_features():
    def row(name):
        return problems.problem(name)

    def field(name, path):
        return dict(row(name).fields)[path]

    assert row("checker-ok").checker.source.endswith("check_tokens.c")
    assert row("checker-ok").expected_status == "OK"
    assert field("checker-partial", "tests.score")[-1] == 0.25
    assert field("checker-partial", "tests.checker_status")[-1] == "PARTIAL"
    tl = row("checker-testlib")
    assert tl.checker.language == "cpp" and dict(tl.checker.files) == {
        "testlib.h": "problems/testlib.h"}
    assert tl.expected_status == "WA"
    assert row("interactive-binary").language == "c"
    assert row("interactive-binary").expected_status == "OK"
    assert row("interactive-linear").expected_status == "WA"
    assert row("interactive-python").language == "python"
    assert row("interactive-python").expected_status == "OK"
    assert all(row(n).interactor is not None for n in problems.NAMES if n.startswith("inter"))
    assert row("groups").source.endswith("sum_partial.c")
    assert (field("groups", "score"), field("groups", "max_score")) == (65, 100)
    assert [g["status"] for g in field("groups-skip", "groups")] == ["WA", "-", "WA"]
    assert "-" in row("groups-skip").expected_tests
    assert row("files-c").files and row("files-python").files
    java = row("limits-java")
    assert java.language == "java" and java.time_limit_ms == 1000
    assert field("limits-java", "time_limit_ms") == 2 * java.time_limit_ms


def test_submission_records():
    pb = problems.problem("checker-testlib")
    rec = problems.submission(pb, "id-7")
    assert rec["id"] == "id-7" and rec["type"] == "script" and rec["language"] == "c"
    assert rec["limits"] == {"time_limit_ms": 1000, "memory_limit_bytes": 64 << 20}
    assert rec["tests"][0] == {"number": 1, "input": "2 3\n", "expected_output": "5\n"}
    assert rec["checker"]["language"] == "cpp"
    assert "registerTestlibCmd" in rec["checker"]["source"]
    assert [f["name"] for f in rec["checker"]["files"]] == ["testlib.h"]
    assert "interactor" not in rec and "groups" not in rec and "run_all_tests" not in rec
    rec = problems.submission(problems.problem("interactive-linear"), "i")
    assert rec["interactor"]["language"] == "c" and "files" not in rec["interactor"]
    assert rec["tests"] == [{"number": 1, "input": "1000 500 10\n", "expected_output": ""}]
    rec = problems.submission(problems.problem("groups-skip"), "g")
    assert rec["groups"][1] == {"name": "g2", "points": 30, "tests": [3, 4], "policy": "sum",
                                "depends": ["g1"]}
    assert "depends" not in rec["groups"][0]
    rec = problems.submission(problems.problem("files-python"), "f")
    assert [f["name"] for f in rec["files"]] == ["helper.py", "pkg/__init__.py", "pkg/mod.py"]
    assert "def add" in rec["files"][0]["content"]
    assert problems.submission(problems.problem("checker-partial"), "p")["run_all_tests"]
    # None of them is a matrix submission: the fake worker tells them apart.
    matrix = {sc.source() for sc in scenarios.all_scenarios()}
    for pb in problems.PROBLEMS:
        body = problems.body(pb)
        assert body["source"] not in matrix or body["tests"] != [
            {"number": i + 1, "input": a, "expected_output": b}
            for i, (a, b) in enumerate(scenarios.DEFAULT_TESTS)]


def test_java_is_asked_for_half_its_applied_time():
    assert scenarios.TIME_LIMIT_MS["java"] == 1000
    assert scenarios.scenario("java", "tl").time_limit_ms == 1000


def cfg(**kw):
    base = dict(languages="all", outcomes="all", tables="all", problems="all",
                programs_dir=problems.PROGRAMS_DIR, explicit=set())
    base.update(kw)
    return argparse.Namespace(**base)


def test_selection():
    languages, outcomes, matrix, rows = main.choose(cfg())
    assert len(matrix) == len(scenarios.all_scenarios())
    assert [pb.name for pb in rows] == list(problems.NAMES)
    _, _, matrix, rows = main.choose(cfg(tables="matrix"))
    assert matrix and rows == []
    _, _, matrix, rows = main.choose(cfg(tables="problems", problems="limits-java,groups"))
    assert matrix == [] and [pb.name for pb in rows] == ["groups", "limits-java"]
    _, _, matrix, rows = main.choose(cfg(languages="python", outcomes="ok"))
    assert [sc.key for sc in matrix] == ["python-ok"]
    assert {pb.language for pb in rows} == {"python"} and len(rows) == 2
    with pytest.raises(ValueError, match="unknown table 'x'"):
        main.choose(cfg(tables="matrix,x"))
    with pytest.raises(ValueError, match="unknown problem 'x'"):
        main.choose(cfg(problems="x"))
    with pytest.raises(ValueError, match="nothing selected"):
        main.choose(cfg(tables="problems", languages="ruby"))


def test_missing_programs_leave_the_problems_out_unless_asked_for(tmp_path):
    _, _, matrix, rows = main.choose(cfg())
    err = io.StringIO()
    sources, bodies, kept = main.read_programs(cfg(), matrix, rows, err)
    assert len(sources) == len(matrix) and set(bodies) == set(problems.NAMES)
    assert kept == rows and err.getvalue() == ""
    # A copy of simulator/ without bats/programs, run with the defaults.
    gone = cfg(programs_dir=str(tmp_path))
    sources, bodies, kept = main.read_programs(gone, matrix, rows, err)
    assert len(sources) == len(matrix) and bodies == {} and kept == []
    assert "the problems table is left out" in err.getvalue()
    for asked in ("tables", "problems", "programs_dir"):
        err = io.StringIO()
        asked_cfg = cfg(programs_dir=str(tmp_path), explicit={asked})
        assert main.read_programs(asked_cfg, matrix, rows, err) is None
        assert "cannot read the program of problem checker-ok" in err.getvalue()
        assert "left out" not in err.getvalue()
    assert main.read_programs(gone, [], rows, io.StringIO()) is None


# ------------------------------------------------------------------------
# The expectations replayed on the programs themselves. Limits are not
# modelled (limits-* need the worker), the rest follows PROTOCOL.md.

def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip("%s is not installed" % name)
    return path


class LocalJudge:
    """Builds programs once and judges a row's submission locally."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.built = {}

    def build(self, spec_or_row):
        language = spec_or_row.language
        source = spec_or_row.source
        files = tuple(spec_or_row.files)
        key = (language, source, files)
        if key in self.built:
            return self.built[key]
        d = os.path.join(self.tmp, "b%d" % len(self.built))
        os.makedirs(d)
        for name, rel in ((("main." + scenarios.EXTENSIONS[language]), source),) + files:
            os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
            shutil.copy(problems.program_path(rel), os.path.join(d, name))
        if language == "python":
            argv = [sys.executable, os.path.join(d, "main.py")]
        else:
            compiler = _tool("gcc" if language == "c" else "g++")
            std = "-std=c11" if language == "c" else "-std=c++17"
            out = os.path.join(d, "prog")
            subprocess.run([compiler, std, "-O1", "-o", out, "main.%s"
                            % scenarios.EXTENSIONS[language]], cwd=d, check=True, timeout=120)
            argv = [out]
        self.built[key] = (argv, d)
        return argv, d

    def _files(self, n, *contents):
        paths = []
        for i, c in enumerate(contents):
            p = os.path.join(self.tmp, "io-%d-%d" % (n, i))
            with open(p, "w") as fh:
                fh.write(c)
            paths.append(p)
        return paths

    @staticmethod
    def decide(code, err):
        """A testlib exit code as (status, checker_status, score)."""
        if code == 0:
            return "OK", "OK", 1
        if code in (1, 2):
            return "WA", "WA" if code == 1 else "PE", 0
        m = re.search(r"points\s+([0-9.]+)", err)
        assert code == 7 and m, "checker failed: %d %s" % (code, err)
        score = min(1.0, max(0.0, float(m.group(1))))
        return ("OK", "OK", 1) if score == 1 else ("WA", "PARTIAL", score)

    def run_test(self, pb, n, inp, answer):
        argv, cwd = self.build(pb)
        t = {"number": n, "input": inp, "expected_output": answer}
        if pb.interactor is not None:
            iargv, _ = self.build(pb.interactor)
            infile, outfile = self._files(n, inp, "")
            to_prog, from_int = os.pipe()
            to_int, from_prog = os.pipe()
            inter = subprocess.Popen(iargv + [infile, outfile], stdin=to_int, stdout=from_int,
                                     stderr=subprocess.PIPE, text=True)
            prog = subprocess.Popen(argv, stdin=to_prog, stdout=from_prog, cwd=cwd)
            for fd in (to_prog, from_int, to_int, from_prog):
                os.close(fd)
            _, err = inter.communicate(timeout=30)
            assert prog.wait(timeout=30) == 0
            t["status"], t["checker_status"], t["score"] = self.decide(inter.returncode, err)
            t.update(stdout="", checker_message=err)
            return t
        proc = subprocess.run(argv, input=inp, capture_output=True, text=True, cwd=cwd,
                              timeout=30)
        assert proc.returncode == 0, proc.stderr
        t["stdout"] = proc.stdout
        if pb.checker is None:
            t["status"] = "OK" if proc.stdout == answer else "WA"
            t["score"] = 1 if t["status"] == "OK" else 0
            return t
        cargv, _ = self.build(pb.checker)
        files = self._files(n, inp, proc.stdout, answer)
        chk = subprocess.run(cargv + files, capture_output=True, text=True, timeout=30)
        t["status"], t["checker_status"], t["score"] = self.decide(chk.returncode, chk.stderr)
        t["checker_message"] = chk.stderr
        return t

    def judge(self, pb):
        tests = list(pb.tests)
        rec = {"status": "OK", "error": "", "reason": "", "tests": []}
        if not pb.groups:
            for n, (inp, answer) in enumerate(tests, 1):
                failed = any(t["status"] != "OK" for t in rec["tests"])
                if failed and not pb.run_all_tests:
                    rec["tests"].append({"number": n, "status": "-", "stdout": ""})
                    continue
                rec["tests"].append(self.run_test(pb, n, inp, answer))
        else:
            by_number, scores = {}, {}
            pending = list(pb.groups)
            while pending:
                g = next(g for g in pending if all(d in scores for d in g.get("depends", ())))
                pending.remove(g)
                full = all(scores[d] == next(x for x in pb.groups if x["name"] == d)["points"]
                           for d in g.get("depends", ()))
                ts = []
                for n in g["tests"]:
                    inp, answer = tests[n - 1]
                    t = (self.run_test(pb, n, inp, answer) if full
                         else {"number": n, "status": "-", "stdout": ""})
                    by_number[n] = t
                    ts.append(t)
                if not full:
                    scores[g["name"]], status = 0, "-"
                else:
                    vals = [t["score"] for t in ts]
                    frac = min(vals) if g.get("policy", "min") == "min" else sum(vals) / len(vals)
                    scores[g["name"]] = g["points"] * frac
                    status = first_failure(t["status"] for t in ts)
                rec.setdefault("groups", []).append(
                    {"name": g["name"], "points": g["points"], "score": scores[g["name"]],
                     "status": status})
            rec["groups"].sort(key=lambda x: [g["name"] for g in pb.groups].index(x["name"]))
            rec["tests"] = [by_number[n] for n in sorted(by_number)]
            rec["score"] = sum(scores.values())
            rec["max_score"] = sum(g["points"] for g in pb.groups)
        rec["status"] = first_failure(t["status"] for t in rec["tests"])
        if rec["status"] != "OK":
            rec["reason"] = "local: not accepted"
        rec["stdout"] = next((t["stdout"] for t in reversed(rec["tests"])
                              if t["status"] != "-"), "")
        return rec


@pytest.mark.parametrize("name", [n for n in problems.NAMES if not n.startswith("limits-")])
def test_expectations_hold_for_the_real_programs(name, tmp_path):
    pb = problems.problem(name)
    rec = LocalJudge(str(tmp_path)).judge(pb)
    chk = verdict.check_result(pb.expected_status, pb.expected_tests, rec, len(pb.tests),
                               pb.checks())
    assert chk.ok, (chk.reasons, rec)


def test_the_local_judge_is_not_lenient(tmp_path):
    # The testlib checker's message is the checker's own: a row expecting
    # another would be caught.
    pb = problems.problem("checker-testlib")
    rec = LocalJudge(str(tmp_path)).judge(pb)
    fields = (("tests.checker_message", (Contains("expected 5, found 7"), None)),)
    assert not verdict.check_result("WA", ("WA", "-"), rec, 2, fields).ok
