"""The second table: contest problems, beside the language x outcome matrix.

Each row submits a program with the parts a problem setter adds (a checker
program, an interactor, scored groups, extra source files, per-language
limit factors; see contrib/PROTOCOL.md) and states the top-level status,
the per-test statuses and the further result fields it must get: per-test
score and checker_status, the groups and their scores, the applied limits.
Every row also checks that `error` is empty (only IE carries one) and that
a verdict other than OK comes with a `reason`.

The programs are those of bats/problems.bats (bats/programs/problems/, see
its README, plus a few of bats/programs/<language>/): the table names them
by their path under PROGRAMS_DIR, so there is one copy of each.
"""

import os
from dataclasses import dataclass
from typing import Optional, Tuple

from simulator.verdict import Contains, NonEmpty

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS_DIR = os.path.join(TOP, "bats", "programs")

MIB = 1 << 20

# The tests of the a + b programs here. Not the matrix's DEFAULT_TESTS, so
# that no submission of this table is byte for byte one of the matrix.
SUM_TESTS = (("2 3\n", "5\n"), ("10 20\n", "30\n"))


@dataclass(frozen=True)
class Spec:
    """A problem setter's program (checker, interactor): paths under the
    programs directory; files are (name in the box, path) pairs."""

    language: str
    source: str
    files: Tuple[Tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Problem:
    """One row of the problems table."""

    name: str                                  # row name, part of the submission id
    what: str                                  # what the row shows, one line
    language: str                              # the submission's language
    source: str                                # its program, under the programs directory
    tests: Tuple[Tuple[str, str], ...]         # (input, expected_output), numbered from 1
    expected_status: str
    expected_tests: Tuple[str, ...]
    fields: Tuple[Tuple[str, object], ...] = ()  # (path, expected), see verdict.check_fields
    files: Tuple[Tuple[str, str], ...] = ()    # extra files of the submission
    checker: Optional[Spec] = None
    interactor: Optional[Spec] = None
    groups: Tuple[dict, ...] = ()
    run_all_tests: bool = False
    time_limit_ms: int = 1000
    memory_limit_bytes: int = 64 * MIB

    @property
    def outcome(self):
        """The name again: the tracker files a row under (language, name)."""
        return self.name

    @property
    def checked(self):
        """The fields the row checks besides the statuses, as the table shows
        them: "score,groups tests[score,checker_status]"."""
        top = [path for path, _ in self.fields if not path.startswith("tests.")]
        per_test = [path[len("tests."):] for path, _ in self.fields if path.startswith("tests.")]
        words = [",".join(top)] if top else []
        if per_test:
            words.append("tests[%s]" % ",".join(per_test))
        return " ".join(words)

    def checks(self):
        """Every (path, expected) pair a result is held to: the row's own
        fields, no error, and a reason for anything but OK."""
        out = tuple(self.fields) + (("error", ""),)
        if self.expected_status != "OK":
            out += (("reason", NonEmpty()),)
        return out

    def paths(self):
        """Every program file the submission carries, under the programs directory."""
        out = [self.source] + [p for _, p in self.files]
        for spec in (self.checker, self.interactor):
            if spec is not None:
                out += [spec.source] + [p for _, p in spec.files]
        return out


def group(name, points, tests, policy="min", depends=()):
    """A scoring group as the submission carries it."""
    g = {"name": name, "points": points, "tests": list(tests), "policy": policy}
    if depends:
        g["depends"] = list(depends)
    return g


def group_tests(*pairs):
    """Tests of sum_partial.c, one per (a, b), with the right answer a + b
    (the program adds 1 when a is odd)."""
    return tuple(("%d %d\n" % (a, b), "%d\n" % (a + b)) for a, b in pairs)


def guess_tests(*games):
    """Interactive tests of the guessing game: "N SECRET QLIMIT" each, no answer."""
    return tuple(("%s\n" % g, "") for g in games)


CHECK_TOKENS = Spec("c", "problems/check_tokens.c")
CHECK_EXIT = Spec("c", "problems/check_exit.c")
CHECK_TESTLIB = Spec("cpp", "problems/check_testlib.cpp",
                     (("testlib.h", "problems/testlib.h"),))
GUESS_INTERACTOR = Spec("c", "problems/guess_interactor.c")

# g1 and g3 stand alone, g2 needs g1 in full; 100 points in all.
GROUPS = (
    group("g1", 30, (1, 2), "min"),
    group("g2", 30, (3, 4), "sum", depends=("g1",)),
    group("g3", 40, (5, 6), "sum"),
)


def _interactive_fields(n):
    """What every accepted interactive test shows: the interactor's OK, a
    full score, and no stdout (the program talked to the interactor)."""
    return (("tests.checker_status", ("OK",) * n), ("tests.score", (1,) * n),
            ("stdout", ""), ("tests.stdout", ("",) * n))


PROBLEMS = (
    Problem(
        name="checker-ok",
        what="check_tokens.c accepts \" 30 \\n\\n\" for 30, which exact comparison would not",
        language="c", source="c/ok.c",
        tests=(("2 3\n", "5\n"), ("10 20\n", " 30 \n\n")),
        checker=CHECK_TOKENS,
        expected_status="OK", expected_tests=("OK", "OK"),
        fields=(("tests.checker_status", ("OK", "OK")), ("tests.score", (1, 1))),
    ),
    Problem(
        name="checker-partial",
        what="check_exit.c obeys the input: exit 0, then exit 7 with \"points 0.25\"",
        language="c", source="c/cat.c",
        tests=(("ok\n", "x\n"), ("points 0.25\n", "x\n")),
        checker=CHECK_EXIT, run_all_tests=True,
        expected_status="WA", expected_tests=("OK", "WA"),
        fields=(("tests.score", (1, 0.25)), ("tests.checker_status", ("OK", "PARTIAL"))),
    ),
    Problem(
        name="checker-testlib",
        what="a C++ testlib checker (testlib.h in its files) rejects a + b + 1",
        language="c", source="c/wa.c", tests=SUM_TESTS,
        checker=CHECK_TESTLIB,
        expected_status="WA", expected_tests=("WA", "-"),
        fields=(("tests.checker_status", ("WA", None)), ("tests.score", (0, None)),
                ("tests.checker_message", (Contains("expected 5, found 6"), None))),
    ),
    Problem(
        name="interactive-binary",
        what="binary search in C against guess_interactor.c",
        language="c", source="problems/guess_binary.c",
        tests=guess_tests("1000 617 10", "1000 1 10"),
        interactor=GUESS_INTERACTOR,
        expected_status="OK", expected_tests=("OK", "OK"),
        fields=_interactive_fields(2) + (
            ("tests.checker_message", (Contains("guessed 617 with 7 queries"), None)),),
    ),
    Problem(
        name="interactive-linear",
        what="asking 1, 2, 3, ... runs over the query limit of 10",
        language="c", source="problems/guess_linear.c",
        tests=guess_tests("1000 500 10"),
        interactor=GUESS_INTERACTOR,
        expected_status="WA", expected_tests=("WA",),
        fields=(("tests.checker_status", ("WA",)), ("tests.score", (0,)),
                ("tests.checker_message", (Contains("query limit 10 exceeded"),))),
    ),
    Problem(
        name="interactive-python",
        what="binary search in Python, every line flushed",
        language="python", source="problems/guess_binary.py",
        tests=guess_tests("1000 617 10", "1000 1000 10"),
        interactor=GUESS_INTERACTOR,
        expected_status="OK", expected_tests=("OK", "OK"),
        fields=_interactive_fields(2),
    ),
    Problem(
        name="groups",
        what="sum_partial.c: g1 full (30), g2 half by sum (15), g3 half (20): 65 of 100",
        language="c", source="problems/sum_partial.c",
        tests=group_tests((2, 3), (4, 4), (1, 1), (6, 1), (3, 4), (8, 8)),
        groups=GROUPS,
        expected_status="WA", expected_tests=("OK", "OK", "WA", "OK", "WA", "OK"),
        fields=(("score", 65), ("max_score", 100),
                ("tests.score", (1, 1, 0, 1, 0, 1)),
                ("groups", ({"name": "g1", "points": 30, "score": 30, "status": "OK"},
                            {"name": "g2", "points": 30, "score": 15, "status": "WA"},
                            {"name": "g3", "points": 40, "score": 20, "status": "WA"}))),
    ),
    Problem(
        name="groups-skip",
        what="g1 loses a test (0 by min), so g2 is not run; g3 half: 20 of 100",
        language="c", source="problems/sum_partial.c",
        tests=group_tests((1, 2), (2, 2), (2, 3), (4, 4), (2, 5), (5, 5)),
        groups=GROUPS,
        expected_status="WA", expected_tests=("WA", "OK", "-", "-", "OK", "WA"),
        fields=(("score", 20), ("max_score", 100),
                ("groups", ({"name": "g1", "points": 30, "score": 0, "status": "WA"},
                            {"name": "g2", "points": 30, "score": 0, "status": "-"},
                            {"name": "g3", "points": 40, "score": 20, "status": "WA"}))),
    ),
    Problem(
        name="files-c",
        what="main.c includes sum.h beside it and util/parse.h below it",
        language="c", source="problems/multi_main.c", tests=SUM_TESTS,
        files=(("sum.h", "problems/sum.h"), ("util/parse.h", "problems/util/parse.h")),
        expected_status="OK", expected_tests=("OK", "OK"),
        fields=(("tests.stdout", ("5\n", "30\n")),),
    ),
    Problem(
        name="files-python",
        what="main.py imports helper.py and the package pkg/",
        language="python", source="problems/multi_main.py", tests=SUM_TESTS,
        files=(("helper.py", "problems/helper.py"),
               ("pkg/__init__.py", "problems/pkg/__init__.py"),
               ("pkg/mod.py", "problems/pkg/mod.py")),
        expected_status="OK", expected_tests=("OK", "OK"),
        fields=(("tests.stdout", ("5\n", "30\n")),),
    ),
    Problem(
        name="limits-java",
        what="java's profile has time_factor = 2: 1000 ms asked, 2000 ms applied",
        language="java", source="java/ok.java", tests=SUM_TESTS,
        time_limit_ms=1000, memory_limit_bytes=256 * MIB,
        expected_status="OK", expected_tests=("OK", "OK"),
        fields=(("time_limit_ms", 2000),),
    ),
    Problem(
        name="limits-c",
        what="c has no factor: the limits applied are those asked, wall 2 x time + 1 s",
        language="c", source="c/ok.c", tests=SUM_TESTS,
        expected_status="OK", expected_tests=("OK", "OK"),
        fields=(("time_limit_ms", 1000), ("memory_limit_bytes", 64 * MIB),
                ("wall_time_limit_ms", 3000)),
    ),
)

NAMES = tuple(pb.name for pb in PROBLEMS)


def problem(name):
    """The row called `name`."""
    for pb in PROBLEMS:
        if pb.name == name:
            return pb
    raise KeyError("unknown problem %r" % name)


def select(names=NAMES, languages=None):
    """The rows named, in table order; `languages`, when given, keeps only
    those whose submission is in one of them."""
    return [pb for pb in PROBLEMS
            if pb.name in names and (languages is None or pb.language in languages)]


def program_path(rel, programs_dir=None):
    """Path of a program named by its path under the programs directory."""
    return os.path.join(PROGRAMS_DIR if programs_dir is None else programs_dir, rel)


def _read(rel, programs_dir):
    with open(program_path(rel, programs_dir), encoding="utf-8") as fh:
        return fh.read()


def _files(pairs, programs_dir):
    return [{"name": name, "content": _read(rel, programs_dir)} for name, rel in pairs]


def _spec(spec, programs_dir):
    out = {"language": spec.language, "source": _read(spec.source, programs_dir)}
    if spec.files:
        out["files"] = _files(spec.files, programs_dir)
    return out


def body(pb, programs_dir=None):
    """The submission record of a row without its id (reads the programs;
    OSError when one is missing)."""
    rec = {
        "type": "script",
        "language": pb.language,
        "source": _read(pb.source, programs_dir),
        "limits": {
            "time_limit_ms": pb.time_limit_ms,
            "memory_limit_bytes": pb.memory_limit_bytes,
        },
        "tests": [
            {"number": i + 1, "input": inp, "expected_output": out}
            for i, (inp, out) in enumerate(pb.tests)
        ],
    }
    if pb.files:
        rec["files"] = _files(pb.files, programs_dir)
    if pb.checker is not None:
        rec["checker"] = _spec(pb.checker, programs_dir)
    if pb.interactor is not None:
        rec["interactor"] = _spec(pb.interactor, programs_dir)
    if pb.groups:
        rec["groups"] = [dict(g) for g in pb.groups]
    if pb.run_all_tests:
        rec["run_all_tests"] = True
    return rec


def submission(pb, sub_id, programs_dir=None, prepared=None):
    """The submission record (a dict, PROTOCOL.md) of a row; `prepared` is
    its body() when already read."""
    rec = dict(body(pb, programs_dir) if prepared is None else prepared)
    rec["id"] = sub_id
    return rec
