"""Verdict comparison, the run tracker, table rendering, percentiles."""

import pytest

from simulator import problems
from simulator.verdict import (Contains, NonEmpty, Pending, Tracker, check_fields, check_result,
                               jsonable, percentile, render_problems, render_table, same)


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


def test_same_compares_numbers_dicts_lists_and_matchers():
    assert same(65, 65.0) and same(0.25, 0.25000000001) and not same(0.25, 0.3)
    assert not same(1, True) and not same(0, "0") and not same("OK", "ok")
    assert same({"name": "g1", "score": 30}, {"name": "g1", "score": 30.0, "points": 30})
    assert not same({"name": "g1", "score": 30}, {"name": "g1"})
    assert same((1, None, 0), [1, 0.5, 0]) and not same((1, 0), [1, 0, 0])
    assert same(NonEmpty(), "x") and not same(NonEmpty(), "") and not same(NonEmpty(), 3)
    assert same(Contains("limit 10"), "query limit 10 exceeded")
    assert not same(Contains("limit 10"), "query limit 12 exceeded")
    assert same(None, "anything")


GROUPS_OK = [{"name": "g1", "points": 30, "score": 30, "status": "OK"},
             {"name": "g2", "points": 30, "score": 15, "status": "WA"}]


def test_fields_match():
    r = rec("WA", "OK", "WA", score=45, max_score=60, groups=GROUPS_OK, error="",
            reason="test 2: wrong answer")
    r["tests"][0].update(score=1, checker_status="OK")
    r["tests"][1].update(score=0.5, checker_status="PARTIAL")
    fields = (("score", 45), ("groups", tuple(dict(g, points=30) for g in GROUPS_OK)),
              ("tests.score", (1, 0.5)), ("tests.checker_status", ("OK", "PARTIAL")),
              ("error", ""), ("reason", NonEmpty()))
    chk = check_result("WA", ("OK", "WA"), r, 2, fields)
    assert chk.ok and chk.label == "WA" and chk.reasons == []
    assert chk.fields["score"] == 45 and chk.fields["tests.score"] == [1, 0.5]


def test_a_wrong_field_is_named_in_the_label_and_the_reason():
    r = rec("WA", "OK", "WA", score=40, groups=GROUPS_OK)
    r["tests"][1]["score"] = 0
    chk = check_result("WA", ("OK", "WA"), r, 2, (("score", 45), ("tests.score", (1, 0.5))))
    assert not chk.ok and chk.label == "WA!score"
    assert chk.reasons == ["score 40, expected 45",
                           "tests.score [absent,0], expected [1,0.5]"]
    # The statuses come first: a wrong test status is "!tests" whatever the fields.
    chk = check_result("WA", ("OK", "WA"), rec("WA", "WA", "-", score=40), 2, (("score", 45),))
    assert chk.label == "WA!tests" and "score 40, expected 45" in chk.reasons


def test_absent_fields_and_matchers_are_reported_plainly():
    chk = check_result("WA", ("WA",), rec("WA", "WA"), 1,
                       (("error", ""), ("reason", NonEmpty()), ("time_limit_ms", 2000),
                        ("tests.checker_message", (Contains("limit 10"),))))
    assert chk.reasons == ["error absent, expected \"\"",
                           "reason absent, expected a non-empty string",
                           "time_limit_ms absent, expected 2000",
                           'tests.checker_message [absent], expected '
                           '[a string containing "limit 10"]']
    assert chk.label == "WA!error"
    assert chk.fields == {"error": None, "reason": None, "time_limit_ms": None,
                          "tests.checker_message": [None]}


def test_groups_mismatch_shows_only_the_keys_checked():
    want = ({"name": "g1", "score": 30}, {"name": "g2", "score": 0, "status": "-"})
    got = [dict(GROUPS_OK[0]), {"name": "g2", "points": 30, "score": 0, "status": "WA"}]
    seen, wrong = check_fields((("groups", want),), {"groups": got})
    assert seen == {"groups": [{"name": "g1", "score": 30},
                               {"name": "g2", "score": 0, "status": "WA"}]}
    # Only the group that differs is quoted, by index.
    assert wrong == [("groups", 'groups[1] {name:"g2",score:0,status:"WA"}, '
                                'expected {name:"g2",score:0,status:"-"}')]
    _, wrong = check_fields((("groups", want),), {"groups": got[:1]})
    assert wrong == [("groups", 'groups [{name:"g1",score:30}], expected '
                                '[{name:"g1",score:30},{name:"g2",score:0,status:"-"}]')]
    _, wrong = check_fields((("groups", want),), {})
    assert wrong == [("groups", "groups absent, expected " + _show_groups(want))]


def _show_groups(want):
    return "[" + ",".join("{" + ",".join(
        "%s:%s" % (k, '"%s"' % v if isinstance(v, str) else v) for k, v in g.items()) + "}"
        for g in want) + "]"


def test_jsonable_expectations():
    assert jsonable((("a", NonEmpty()), ("b", (1, None, Contains("x"))))) == \
        [["a", "a non-empty string"], ["b", [1, None, 'a string containing "x"']]]
    assert jsonable({"g": ({"score": 1},)}) == {"g": [{"score": 1}]}


def test_tracker_checks_fields_and_duplicates_that_differ_in_them():
    t = Tracker()
    p = pend("p1", "c", "groups", "WA", ("OK", "WA"))
    p.fields = (("score", 45),)
    p.table = "problems"
    t.add(p)
    t.record("p1", rec("WA", "OK", "WA", score=45), 1.0)
    assert t.ok()
    t.record("p1", rec("WA", "OK", "WA", score=30), 2.0)
    assert not t.ok() and t.duplicates == 1
    fails = [r for _, r in t.failures()]
    assert "score 30, expected 45" in fails
    assert any("duplicate result disagrees" in r and "(score differ)" in r for r in fails)
    assert t.cells()[("c", "groups")] == "DUP!WA !"


def test_render_problems():
    rows = [problems.problem("groups"), problems.problem("limits-java")]
    text = render_problems(rows, {("c", "groups"): "WA!score !", ("java", "limits-java"): "OK"})
    lines = text.splitlines()
    assert lines[0].split() == ["problem", "language", "expected", "checks", "verdict"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split() == ["groups", "c", "WA", "score,max_score,groups", "tests[score]",
                                "WA!score", "!"]
    assert lines[3].split() == ["limits-java", "java", "OK", "time_limit_ms", "OK"]
    col = lines[0].index("verdict")
    assert lines[2][col:].startswith("WA!score") and lines[3][col:] == "OK"
    assert render_problems(rows[:1], {}).splitlines()[2].split()[-1] == "."


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

