"""contrib/compose/check-results.py: how the compose CI phase decides that
three runners shared a run's records and that none was lost or judged two
ways. One row per case, the nasty ones included."""

import importlib.util
import json
import os

import pytest

from simulator.tests.helpers import TOP

_spec = importlib.util.spec_from_file_location(
    "check_results", os.path.join(TOP, "contrib", "compose", "check-results.py"))
check_results = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_results)

WORKERS = {"aaa": "scrc_1", "bbb": "scrc_2", "ccc": "scrc_3"}


def rec(sub_id, host, status="OK", tests=("OK", "OK"), run="r1"):
    return json.dumps({"id": "sim-%s-1-%s" % (run, sub_id), "status": status,
                       "worker": "%s:%d" % (host, 17),
                       "tests": [{"number": i + 1, "status": s} for i, s in enumerate(tests)]})


SHARED = [rec("c-ok", "aaa"), rec("c-wa", "bbb", "WA", ("WA", "-")), rec("py-ok", "ccc")]

CASES = [
    # (name, lines, expect, min_share, problem substrings; none = passes)
    ("each runner a share", SHARED, 3, 1, []),
    ("other runs and junk are ignored",
     SHARED + [rec("c-ok", "zzz", run="r0"), "not json", "", "[1]"], 3, 1, []),
    ("same verdict twice is a duplicate, allowed", SHARED + [rec("c-ok", "bbb")], 3, 1, []),
    ("a lost record", SHARED[:2] + [rec("py-ok", "aaa")], 4, 1, ["3 distinct ids"]),
    ("a runner judged nothing", [rec("c-ok", "aaa"), rec("c-wa", "bbb", "WA", ("WA", "-"))],
     2, 1, ["scrc_3 (ccc) judged 0"]),
    ("conflicting duplicate", SHARED + [rec("c-ok", "ccc", "WA", ("WA", "-"))], 3, 1,
     ["conflicting verdicts"]),
    ("same status, other test statuses", SHARED + [rec("c-ok", "ccc", "OK", ("OK",))], 3, 1,
     ["conflicting verdicts"]),
    ("a stranger judged one", SHARED + [rec("x-ok", "ddd")], 4, 1, ["not one of our runners"]),
    ("a record without worker", SHARED + [json.dumps({"id": "sim-r1-1-y", "status": "OK"})],
     4, 1, ["not one of our runners"]),
    ("single runner must have all", [rec("a", "aaa"), rec("b", "aaa")], 2, 2,
     ["scrc_2 (bbb) judged 0"]),
]


@pytest.mark.parametrize("name,lines,expect,min_share,wanted", CASES, ids=[c[0] for c in CASES])
def test_check(name, lines, expect, min_share, wanted):
    report, problems = check_results.check(lines, "r1", expect, WORKERS, min_share)
    assert report[-1].endswith("duplicates")
    if not wanted:
        assert problems == []
    for w in wanted:
        assert any(w in p for p in problems), (w, problems)


def test_counts_per_runner():
    report, _ = check_results.check(SHARED + [rec("d-ok", "aaa")], "r1", 4, WORKERS, 1)
    rows = {line.split()[0]: line.split()[-1] for line in report[1:-1]}
    assert rows == {"scrc_1": "2", "scrc_2": "1", "scrc_3": "1"}


def test_main_exit_status(capsys, monkeypatch):
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(SHARED) + "\n"))
    argv = ["--run", "r1", "--expect", "3"] + sum((["--worker", "%s=%s" % kv]
                                                  for kv in WORKERS.items()), [])
    assert check_results.main(argv) == 0
    assert "PASS" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(SHARED) + "\n"))
    assert check_results.main(argv[:3] + ["4"] + argv[4:]) == 1
