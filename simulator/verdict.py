"""Pure logic: comparing result records with expectations, tracking what a
run has seen, rendering the verdict table, percentiles.

Nothing here talks to Kafka, so all of it is unit-tested.
"""

import json
import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple


@dataclass(frozen=True)
class NonEmpty:
    """Expected value: any string but the empty one."""

    def matches(self, value):
        return isinstance(value, str) and value != ""

    def __str__(self):
        return "a non-empty string"


@dataclass(frozen=True)
class Contains:
    """Expected value: a string holding `text`."""

    text: str

    def matches(self, value):
        return isinstance(value, str) and self.text in value

    def __str__(self):
        return "a string containing %s" % json.dumps(self.text)


_ABSENT = object()


@dataclass
class Check:
    """The outcome of comparing one result record with its scenario."""

    status: str                      # observed top-level status ("?" if none)
    tests: Tuple[str, ...]           # observed per-test statuses
    ok: bool
    reasons: List[str] = field(default_factory=list)
    label: str = ""                  # cell text: "TL", or "TL!=WA" when wrong
    fields: Dict[str, object] = field(default_factory=dict)  # observed checked fields


def check_result(expected_status, expected_tests, record, ntests_sent=None, fields=()):
    """Compares a decoded result record with an expectation.

    expected_tests is a tuple of per-test statuses, or None when no test may
    run (build failure): then the tests list must be empty or all "-".
    ntests_sent, when given, is how many tests the submission carried.
    fields are further (path, expected value) pairs, see check_fields.
    """
    reasons = []
    if not isinstance(record, dict):
        chk = Check(status="?", tests=(), ok=False, reasons=["record is not a JSON object"])
        chk.label = "?!=" + expected_status
        return chk
    status = record.get("status")
    if not isinstance(status, str) or not status:
        status = "?"
    raw_tests = record.get("tests")
    if raw_tests is None:
        raw_tests = []
    observed = []
    if not isinstance(raw_tests, list):
        reasons.append("tests is not a list")
        raw_tests = []
    for t in raw_tests:
        s = t.get("status") if isinstance(t, dict) else None
        observed.append(s if isinstance(s, str) and s else "?")
    observed = tuple(observed)

    if status != expected_status:
        reasons.append("status %s, expected %s" % (status, expected_status))
        if record.get("error"):
            reasons.append("error: %s" % str(record.get("error"))[:200])
    if expected_tests is None:
        if any(s != "-" for s in observed):
            reasons.append("tests %s, expected none run" % _fmt(observed))
        if observed and ntests_sent is not None and len(observed) != ntests_sent:
            reasons.append("%d tests reported, %d sent" % (len(observed), ntests_sent))
    else:
        if observed != tuple(expected_tests):
            reasons.append("tests %s, expected %s" % (_fmt(observed), _fmt(expected_tests)))

    tests_wrong = bool(reasons)
    seen, wrong = check_fields(fields, record, raw_tests)
    for path, why in wrong:
        reasons.append(why)

    chk = Check(status=status, tests=observed, ok=not reasons, reasons=reasons, fields=seen)
    if status != expected_status:
        chk.label = "%s!=%s" % (status, expected_status)
    elif tests_wrong:
        chk.label = "%s!tests" % status
    elif wrong:
        chk.label = "%s!%s" % (status, wrong[0][0])
    else:
        chk.label = status
    return chk


def check_fields(fields, record, raw_tests=None):
    """Checks (path, expected) pairs against a result record.

    A path is a top-level field ("score", "time_limit_ms", "groups") or
    "tests.NAME": the tuple of that field over the tests, in order. An
    expected value is compared by `same`: numbers within 1e-9, dicts on
    their own keys only (a group's name, points, score, status), lists and
    tuples item by item, None inside one matches anything, and a matcher
    (NonEmpty, Contains) by its rule.

    Returns ({path: observed value}, [(path, reason)] for the mismatches).
    """
    if raw_tests is None:
        raw_tests = record.get("tests") if isinstance(record, dict) else None
        if not isinstance(raw_tests, list):
            raw_tests = []
    seen = {}
    wrong = []
    for path, want in fields:
        if path.startswith("tests."):
            name = path[len("tests."):]
            got = tuple(t.get(name, _ABSENT) if isinstance(t, dict) else _ABSENT
                        for t in raw_tests)
        else:
            got = record.get(path, _ABSENT) if isinstance(record, dict) else _ABSENT
        cut = _shape(want, got)
        seen[path] = _plain(cut)
        if same(want, got):
            continue
        if (isinstance(want, (list, tuple)) and isinstance(cut, list) and len(cut) == len(want)
                and any(isinstance(w, dict) for w in want)):
            # Records (groups): only those that differ, by index.
            why = "; ".join("%s[%d] %s, expected %s" % (path, i, _show(g), _show(w, "*"))
                            for i, (w, g) in enumerate(zip(want, cut)) if not same(w, g))
        else:
            why = "%s %s, expected %s" % (path, _show(cut), _show(want, "*"))
        wrong.append((path, why))
    return seen, wrong


def same(want, got):
    """True when an observed value meets an expected one (see check_fields)."""
    if want is None:
        return True
    if got is _ABSENT:
        return False
    if hasattr(want, "matches"):
        return want.matches(got)
    if _number(want):
        return _number(got) and math.isclose(want, got, rel_tol=0, abs_tol=1e-9)
    if isinstance(want, dict):
        return isinstance(got, dict) and all(same(v, got.get(k, _ABSENT))
                                             for k, v in want.items())
    if isinstance(want, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(want)
                and all(same(w, g) for w, g in zip(want, got)))
    return type(want) is type(got) and want == got


def _number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _shape(want, got):
    """The observed value cut to what the expectation looks at (the keys of
    an expected dict), so that logs and messages stay short."""
    if isinstance(want, dict) and isinstance(got, dict):
        return {k: got.get(k, _ABSENT) for k in want}
    if isinstance(want, (list, tuple)) and isinstance(got, (list, tuple)):
        return [_shape(want[i] if i < len(want) else None, g) for i, g in enumerate(got)]
    return got


def _plain(v):
    """An observed value for the log: absent fields as null."""
    if v is _ABSENT:
        return None
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _show(v, none="null", limit=160):
    """Compact text of a value for a message: JSON-like, matchers by their
    rule, an absent field as "absent", None as `none` ("*" on the expected
    side, where it matches anything)."""
    if hasattr(v, "matches"):
        return str(v)
    if v is _ABSENT:
        return "absent"
    if isinstance(v, (list, tuple)):
        text = "[" + ",".join(_show(x, none, limit) for x in v) + "]"
    elif isinstance(v, dict):
        text = "{" + ",".join("%s:%s" % (k, _show(x, none, limit)) for k, x in v.items()) + "}"
    elif v is None:
        text = none
    elif _number(v):
        text = "%g" % v
    else:
        text = json.dumps(v)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def jsonable(v):
    """An expectation as JSON can hold it (for the log): matchers by their rule."""
    if hasattr(v, "matches"):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    return v


def _fmt(statuses):
    return "[" + ",".join(statuses) + "]"


@dataclass
class Pending:
    """A produced submission waiting for its result."""

    sub_id: str
    language: str
    outcome: str
    iteration: int
    expected_status: str
    expected_tests: Optional[Tuple[str, ...]]
    ntests: int
    produced_at: float
    checks: List[Check] = field(default_factory=list)
    first_result_at: Optional[float] = None
    fields: Tuple[Tuple[str, object], ...] = ()   # further checks (problems table)
    table: str = "matrix"                          # "matrix" or "problems"


class Tracker:
    """Everything one run produced and received, keyed by submission id."""

    def __init__(self):
        self.pending: Dict[str, Pending] = {}
        self.order: List[str] = []
        self.duplicates = 0
        self.foreign = 0

    def add(self, p):
        if p.sub_id in self.pending:
            raise ValueError("duplicate submission id %s" % p.sub_id)
        self.pending[p.sub_id] = p
        self.order.append(p.sub_id)

    def knows(self, sub_id):
        return sub_id in self.pending

    def record(self, sub_id, record, now):
        """Files a received result. Returns the Check, or None for an id that
        is not ours (counted in `foreign`)."""
        p = self.pending.get(sub_id)
        if p is None:
            self.foreign += 1
            return None
        chk = check_result(p.expected_status, p.expected_tests, record, p.ntests, p.fields)
        if p.checks:
            self.duplicates += 1
            first = p.checks[0]
            if (first.status != chk.status or first.tests != chk.tests
                    or first.fields != chk.fields):
                chk.ok = False
                differ = sorted(k for k in set(first.fields) | set(chk.fields)
                                if first.fields.get(k) != chk.fields.get(k))
                chk.reasons.append(
                    "duplicate result disagrees: first %s%s, now %s%s%s"
                    % (first.status, _fmt(first.tests), chk.status, _fmt(chk.tests),
                       " (%s differ)" % ", ".join(differ) if differ else "")
                )
                chk.label = "DUP!" + chk.status
        else:
            p.first_result_at = now
        p.checks.append(chk)
        return chk

    def outstanding(self):
        return [self.pending[i] for i in self.order if not self.pending[i].checks]

    def complete(self):
        return all(p.checks for p in self.pending.values())

    def failures(self):
        """(id, reason) for every problem: wrong, missing or conflicting."""
        out = []
        for i in self.order:
            p = self.pending[i]
            if not p.checks:
                out.append((i, "no result received"))
                continue
            for chk in p.checks:
                for r in chk.reasons:
                    out.append((i, r))
        return out

    def ok(self):
        return bool(self.pending) and not self.failures()

    def cells(self):
        """{(language, outcome): cell text} over all iterations.

        A cell shows the expected status when every iteration matched, else
        the distinct wrong labels ("TL!=WA", "missing", "DUP!RE", ...), with
        a trailing "!" marker so they stand out.
        """
        good: Dict[Tuple[str, str], str] = {}
        bad: Dict[Tuple[str, str], List[str]] = {}
        for i in self.order:
            p = self.pending[i]
            key = (p.language, p.outcome)
            labels = []
            if not p.checks:
                labels.append("missing")
            for chk in p.checks:
                if not chk.ok:
                    labels.append(chk.label)
            if labels:
                lst = bad.setdefault(key, [])
                for lab in labels:
                    if lab not in lst:
                        lst.append(lab)
            else:
                good.setdefault(key, p.checks[0].status)
        cells = {}
        for key in set(good) | set(bad):
            if key in bad:
                cells[key] = ",".join(bad[key]) + " !"
            else:
                cells[key] = good[key]
        return cells


def render_table(languages, outcomes, cells, blank="."):
    """A plain-text table: rows = languages, columns = outcomes."""
    header = ["language"] + list(outcomes)
    rows = [header]
    for lang in languages:
        rows.append([lang] + [cells.get((lang, o), blank) for o in outcomes])
    return _grid(rows)


def render_problems(problems, cells, blank="."):
    """The problems table: one row per problem scenario (its name, language,
    expected status and the fields it checks) with the verdict cell, keyed in
    `cells` by (language, name) like the matrix's."""
    rows = [["problem", "language", "expected", "checks", "verdict"]]
    for pb in problems:
        rows.append([pb.name, pb.language, pb.expected_status, pb.checked or "-",
                     cells.get((pb.language, pb.name), blank)])
    return _grid(rows)


def _grid(rows):
    """Left-aligned columns under a dashed rule below the first row."""
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def percentile(values, pct):
    """Linear-interpolated percentile (pct in [0, 100]); None for no values."""
    if not values:
        return None
    if not 0 <= pct <= 100:
        raise ValueError("percentile out of range: %r" % pct)
    data = sorted(values)
    if len(data) == 1:
        return float(data[0])
    pos = (len(data) - 1) * pct / 100.0
    lo = int(math.floor(pos))
    hi = int(math.ceil(pos))
    if lo == hi:
        return float(data[lo])
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)
