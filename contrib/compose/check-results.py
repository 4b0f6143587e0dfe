#!/usr/bin/env python3
"""Checks what a compose run's runners published: reads the result records
of the results topic (one JSON object a line on stdin, as kcat prints them)
and looks at those of one simulator run (ids "sim-RUN-...").

    check-results.py --run RUN --expect N --worker HOST=NAME... [--min-share 1]

Prints how many records each runner judged (by the host part of their
`worker` field: a replica's container hostname) and fails when:
- the run's distinct ids are not exactly N (one lost, or one we never sent);
- a record names a worker that is none of the --worker hosts;
- a --worker host judged fewer than --min-share records;
- an id has two records whose verdicts (status, per-test statuses) differ.

A duplicate with the same verdict is allowed: delivery is at least once.
Exit status: 0 all well, 1 a check failed, 2 usage error.
"""

import argparse
import collections
import json
import sys


def verdict(record):
    """What two records of one id must agree on."""
    tests = record.get("tests")
    statuses = tuple(t.get("status") for t in tests if isinstance(t, dict)) \
        if isinstance(tests, list) else ()
    return record.get("status"), statuses


def host_of(worker):
    """scrc's default worker name is HOSTNAME:PID."""
    return worker.rsplit(":", 1)[0] if isinstance(worker, str) else None


def check(lines, run, expect, workers, min_share):
    """Returns (report lines, problems)."""
    prefix = "sim-%s-" % run
    by_id = collections.defaultdict(list)
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and str(record.get("id", "")).startswith(prefix):
            by_id[record["id"]].append(record)

    problems = []
    per_host = collections.Counter()
    duplicates = 0
    for sub_id, records in sorted(by_id.items()):
        duplicates += len(records) - 1
        verdicts = {verdict(r) for r in records}
        if len(verdicts) > 1:
            problems.append("%s: conflicting verdicts %s" % (sub_id, sorted(verdicts)))
        for r in records:
            host = host_of(r.get("worker"))
            per_host[host] += 1
            if host not in workers:
                problems.append("%s: judged by %r, not one of our runners"
                                % (sub_id, r.get("worker")))
    if len(by_id) != expect:
        problems.append("%d distinct ids of run %s, expected %d" % (len(by_id), run, expect))
    report = ["%-24s %-14s %s" % ("runner", "hostname", "records")]
    for host, name in sorted(workers.items(), key=lambda kv: kv[1]):
        report.append("%-24s %-14s %d" % (name, host, per_host[host]))
        if per_host[host] < min_share:
            problems.append("runner %s (%s) judged %d records, fewer than %d"
                            % (name, host, per_host[host], min_share))
    report.append("%d records, %d distinct ids (expected %d), %d duplicates"
                  % (sum(per_host.values()), len(by_id), expect, duplicates))
    return report, problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", required=True, help="the simulator's run id")
    ap.add_argument("--expect", type=int, required=True, help="records it produced")
    ap.add_argument("--worker", action="append", default=[], metavar="HOST=NAME",
                    help="a runner: its hostname and the name to show")
    ap.add_argument("--min-share", type=int, default=1,
                    help="records each runner must have judged")
    args = ap.parse_args(argv)
    workers = {}
    for w in args.worker:
        host, sep, name = w.partition("=")
        if not host:
            ap.error("bad --worker %r" % w)
        workers[host] = name if sep else host
    if not workers:
        ap.error("no --worker")
    report, problems = check(sys.stdin, args.run, args.expect, workers, args.min_share)
    for line in report:
        print(line)
    for p in problems[:50]:
        print("check-results: %s" % p)
    print("check-results: %s" % ("PASS" if not problems else "FAIL (%d problems)"
                                 % len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
