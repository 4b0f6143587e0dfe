"""Verdict comparison, the run tracker, table rendering, percentiles."""

import pytest

from simulator.verdict import Pending, Tracker, check_result, percentile, render_table


def rec(status, *tests, **extra):
    r = {"id": "x", "status": status, "tests": [{"number": i + 1, "status": s}
                                                for i, s in enumerate(tests)]}
    r.update(extra)
    return r


def test_match():
    chk = check_result("WA", ("WA", "-"), rec("WA", "WA", "-"))
    assert chk.ok and chk.label == "WA" and chk.reasons == []
    assert chk.tests == ("WA", "-")


def test_wrong_status_is_labelled_got_vs_want():
    chk = check_result("WA", ("WA", "-"), rec("TL", "TL", "-", error="boom"))
    assert not chk.ok
    assert chk.label == "TL!=WA"
    assert "status TL, expected WA" in chk.reasons
    assert any("error: boom" in r for r in chk.reasons)


def test_right_status_wrong_tests():
    chk = check_result("WA", ("WA", "-"), rec("WA", "WA", "WA"))
    assert not chk.ok and chk.label == "WA!tests"
    chk = check_result("OK", ("OK", "OK"), rec("OK", "OK"))
    assert not chk.ok


def test_build_failure_accepts_no_tests_or_all_not_run():
    assert check_result("BF", None, rec("BF"), 2).ok
    assert check_result("BF", None, {"status": "BF"}, 2).ok
    assert check_result("BF", None, rec("BF", "-", "-"), 2).ok
    assert not check_result("BF", None, rec("BF", "RE", "-"), 2).ok
    assert not check_result("BF", None, rec("BF", "-"), 2).ok


def test_garbage_records():
    chk = check_result("OK", ("OK",), None)
    assert not chk.ok and chk.label == "?!=OK"
    chk = check_result("OK", ("OK",), {"tests": "nope"})
    assert not chk.ok and chk.status == "?"
    chk = check_result("OK", ("OK",), {"status": "OK", "tests": [7]})
    assert not chk.ok and chk.tests == ("?",)


def pend(sub_id, lang="c", out="wa", status="WA", tests=("WA", "-")):
    return Pending(sub_id=sub_id, language=lang, outcome=out, iteration=1,
                   expected_status=status, expected_tests=tests, ntests=2, produced_at=0.0)


def test_tracker_all_good():
    t = Tracker()
    t.add(pend("a"))
    t.add(pend("b", "go", "ok", "OK", ("OK", "OK")))
    assert not t.complete() and not t.ok()
    assert t.record("zzz", rec("OK"), 1.0) is None and t.foreign == 1
    t.record("a", rec("WA", "WA", "-"), 1.0)
    t.record("b", rec("OK", "OK", "OK"), 2.0)
    assert t.complete() and t.ok() and t.failures() == []
    assert t.cells() == {("c", "wa"): "WA", ("go", "ok"): "OK"}
    with pytest.raises(ValueError):
        t.add(pend("a"))


def test_tracker_missing_and_wrong():
    t = Tracker()
    t.add(pend("a"))
    t.add(pend("b", "go", "ok", "OK", ("OK", "OK")))
    t.record("b", rec("RE", "RE", "-"), 1.0)
    assert not t.ok()
    assert [p.sub_id for p in t.outstanding()] == ["a"]
    fails = t.failures()
    assert ("a", "no result received") in fails
    assert any(i == "b" and "status RE, expected OK" in r for i, r in fails)
    cells = t.cells()
    assert cells[("c", "wa")] == "missing !"
    assert cells[("go", "ok")] == "RE!=OK !"


def test_tracker_duplicates():
    t = Tracker()
    t.add(pend("a"))
    t.record("a", rec("WA", "WA", "-"), 1.0)
    t.record("a", rec("WA", "WA", "-"), 2.0)
    assert t.duplicates == 1 and t.ok()
    t.record("a", rec("OK", "OK", "OK"), 3.0)
    assert t.duplicates == 2 and not t.ok()
    assert any("duplicate result disagrees" in r for _, r in t.failures())
    assert "DUP!OK" in t.cells()[("c", "wa")]


def test_cells_over_iterations_show_each_wrong_label_once():
    t = Tracker()
    for i in range(3):
        p = pend("a%d" % i)
        t.add(p)
    t.record("a0", rec("WA", "WA", "-"), 1.0)
    t.record("a1", rec("TL", "TL", "-"), 1.0)
    t.record("a2", rec("TL", "TL", "-"), 1.0)
    assert t.cells()[("c", "wa")] == "TL!=WA !"


def test_render_table():
    cells = {("c", "ok"): "OK", ("c", "tl"): "TL!=WA !", ("go", "ok"): "OK"}
    text = render_table(("c", "go"), ("ok", "tl"), cells)
    lines = text.splitlines()
    assert lines[0].split() == ["language", "ok", "tl"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split() == ["c", "OK", "TL!=WA", "!"]
    assert lines[3].split() == ["go", "OK", "."]
    # Columns line up: every cell of a column starts at the same offset.
    col = lines[0].index("tl")
    assert lines[2][col:].startswith("TL!=WA") and lines[3][col:].startswith(".")


def test_percentile():
    assert percentile([], 50) is None
    assert percentile([7], 95) == 7.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([4, 1, 3, 2], 0) == 1.0
    assert percentile([4, 1, 3, 2], 100) == 4.0
    data = list(range(1, 101))
    assert percentile(data, 95) == pytest.approx(95.05)
    with pytest.raises(ValueError):
        percentile([1], 101)

