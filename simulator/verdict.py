"""Pure logic: comparing result records with expectations, tracking what a
run has seen, rendering the verdict table, percentiles.

Nothing here talks to Kafka, so all of it is unit-tested.
"""

import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple


@dataclass
class Check:
    """The outcome of comparing one result record with its scenario."""

    status: str                      # observed top-level status ("?" if none)
    tests: Tuple[str, ...]           # observed per-test statuses
    ok: bool
    reasons: List[str] = field(default_factory=list)
    label: str = ""                  # cell text: "TL", or "TL!=WA" when wrong


def check_result(expected_status, expected_tests, record, ntests_sent=None):
    """Compares a decoded result record with an expectation.

    expected_tests is a tuple of per-test statuses, or None when no test may
    run (build failure): then the tests list must be empty or all "-".
    ntests_sent, when given, is how many tests the submission carried.
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

    chk = Check(status=status, tests=observed, ok=not reasons, reasons=reasons)
    if status != expected_status:
        chk.label = "%s!=%s" % (status, expected_status)
    elif reasons:
        chk.label = "%s!tests" % status
    else:
        chk.label = status
    return chk


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
        chk = check_result(p.expected_status, p.expected_tests, record, p.ntests)
        if p.checks:
            self.duplicates += 1
            if p.checks[0].status != chk.status or p.checks[0].tests != chk.tests:
                chk.ok = False
                chk.reasons.append(
                    "duplicate result disagrees: first %s%s, now %s%s"
                    % (p.checks[0].status, _fmt(p.checks[0].tests), chk.status, _fmt(chk.tests))
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
    widths = [max(len(r[c]) for r in rows) for c in range(len(header))]
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
