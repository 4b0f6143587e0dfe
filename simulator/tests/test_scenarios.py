"""The scenario table and the programs it names."""

import os

import pytest

from simulator import scenarios


def profile_outcomes(path):
    """The cells a profile says its language can reach: its "outcomes" key,
    else all six, or all but bf without a build step (lang/README)."""
    keys = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                keys.setdefault(k.strip(), v.strip())
    if "outcomes" in keys:
        return set(keys["outcomes"].split())
    return set(scenarios.OUTCOMES) - (set() if "build.argv" in keys else {"bf"})


def test_every_cell_has_an_expectation_and_a_program():
    cells = scenarios.all_scenarios()
    impossible = sum(len(v) for v in scenarios.IMPOSSIBLE.values())
    assert len(cells) == len(scenarios.LANGUAGES) * len(scenarios.OUTCOMES) - impossible
    # Every language profile the project ships has its row in the matrix.
    lang_dir = os.path.join(os.path.dirname(scenarios.SCRIPTS_DIR), "..", "lang")
    profiles = {f[:-len(".lang")] for f in os.listdir(lang_dir) if f.endswith(".lang")}
    assert profiles == set(scenarios.LANGUAGES)
    # The cells the matrix leaves out are those the profiles say cannot exist.
    for lang in scenarios.LANGUAGES:
        can = profile_outcomes(os.path.join(lang_dir, lang + ".lang"))
        assert {o for o in scenarios.OUTCOMES if scenarios.possible(lang, o)} == can, lang
    for sc in cells:
        assert os.path.isfile(sc.script_path), sc.script_path
        assert sc.source().strip(), sc.script_path
        assert sc.expected_status == scenarios.EXPECTED[sc.outcome][0]
        assert sc.time_limit_ms > 0 and sc.memory_limit_bytes >= 64 << 20


def test_no_stray_programs():
    found = set()
    for lang in os.listdir(scenarios.SCRIPTS_DIR):
        for name in os.listdir(os.path.join(scenarios.SCRIPTS_DIR, lang)):
            found.add(os.path.join(lang, name))
    wanted = {os.path.relpath(sc.script_path, scenarios.SCRIPTS_DIR)
              for sc in scenarios.all_scenarios()}
    assert found == wanted


def test_expected_tests_for_two_tests():
    assert scenarios.scenario("c", "ok").expected_tests == ("OK", "OK")
    assert scenarios.scenario("c", "wa").expected_tests == ("WA", "-")
    assert scenarios.scenario("go", "tl").expected_tests == ("TL", "-")
    assert scenarios.scenario("java", "ml").expected_tests == ("ML", "-")
    assert scenarios.scenario("python", "re").expected_tests == ("RE", "-")
    assert scenarios.scenario("cpp", "bf").expected_tests is None


def test_expected_tests_scale_with_the_number_of_tests():
    assert scenarios.expected_test_statuses("ok", 5) == ("OK",) * 5
    assert scenarios.expected_test_statuses("wa", 4) == ("WA", "-", "-", "-")
    assert scenarios.expected_test_statuses("bf", 4) is None
    assert scenarios.expected_test_statuses("tl", 0) == ()


def test_make_tests_are_sums():
    tests = scenarios.make_tests(30)
    assert len(tests) == 30
    assert tests[:2] == scenarios.DEFAULT_TESTS
    assert len(set(t[0] for t in tests)) == 30
    for inp, out in tests:
        a, b = map(int, inp.split())
        assert out == "%d\n" % (a + b)


def test_submission_record():
    sc = scenarios.scenario("java", "ok")
    rec = scenarios.submission(sc, "id-1")
    assert rec["id"] == "id-1" and rec["type"] == "script" and rec["language"] == "java"
    assert rec["source"] == sc.source() and "class Main" in rec["source"]
    assert rec["limits"] == {"time_limit_ms": sc.time_limit_ms,
                             "memory_limit_bytes": sc.memory_limit_bytes}
    assert [t["number"] for t in rec["tests"]] == [1, 2]
    assert rec["tests"][1] == {"number": 2, "input": "40 2\n", "expected_output": "42\n"}


def test_unknown_cells_are_refused():
    with pytest.raises(KeyError):
        scenarios.scenario("intercal", "ok")
    with pytest.raises(KeyError):
        scenarios.scenario("forth", "bf")
    with pytest.raises(KeyError):
        scenarios.scenario("c", "xx")


def test_parse_filter():
    assert scenarios.parse_filter("", scenarios.OUTCOMES, "o") == scenarios.OUTCOMES
    assert scenarios.parse_filter("all", scenarios.OUTCOMES, "o") == scenarios.OUTCOMES
    assert scenarios.parse_filter("tl, ok,tl", scenarios.OUTCOMES, "o") == ("tl", "ok")
    with pytest.raises(ValueError, match="unknown o 'zz'"):
        scenarios.parse_filter("ok,zz", scenarios.OUTCOMES, "o")
    with pytest.raises(ValueError):
        scenarios.parse_filter(",", scenarios.OUTCOMES, "o")
