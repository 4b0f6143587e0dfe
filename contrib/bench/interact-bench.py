#!/usr/bin/env python3
"""Interaction benchmark: the cost of one question/answer round trip between
a program and an interactor judged by `scrc run`, each in its own box, side
by side with the same two programs joined by plain pipes on the host.

For each N (round trips per test) it prints, from one run on this machine:
  - host: the round trip of two host processes over two pipes (the floor);
  - scrc: the program's own wall time (as scrc-box measured it, from its
    start to its end, so the interactor's and the program's start-up are in
    it) over N, and the same with the N=0 run's time taken off first, which
    is the per-exchange figure; also the whole `scrc run` time per N.
Figures only: nothing here asserts a speed.

Usage: contrib/bench/interact-bench.py [--scrc PATH] [--rounds 1000,10000,100000]
         [--repeat K]
The environment of `scrc run` (SCRC_LANG_DIR, SCRC_BOX, ...) is passed through.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "pingpong.c")
INTERACTOR = os.path.join(HERE, "pingpong-interactor.c")


def read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def host_round_trip_us(tmp, n):
    """Both programs built with the host's gcc, joined by two pipes: us per round trip."""
    prog = os.path.join(tmp, "pingpong")
    inter = os.path.join(tmp, "interactor")
    if not os.path.exists(prog):
        subprocess.run(["gcc", "-O2", "-o", prog, PROGRAM], check=True)
        subprocess.run(["gcc", "-O2", "-o", inter, INTERACTOR], check=True)
    inp = os.path.join(tmp, "input")
    with open(inp, "w") as fh:
        fh.write("%d\n" % n)
    to_prog_r, to_prog_w = os.pipe()
    from_prog_r, from_prog_w = os.pipe()
    t0 = time.monotonic()
    p = subprocess.Popen([prog], stdin=to_prog_r, stdout=from_prog_w)
    i = subprocess.Popen([inter, inp, os.path.join(tmp, "output")], stdin=from_prog_r,
                         stdout=to_prog_w, stderr=subprocess.DEVNULL)
    for fd in (to_prog_r, to_prog_w, from_prog_r, from_prog_w):
        os.close(fd)
    rc = (p.wait(), i.wait())
    elapsed = time.monotonic() - t0
    if rc != (0, 0):
        sys.exit("host run failed: exit codes %r" % (rc,))
    return elapsed * 1e6 / max(n, 1)


def judge(scrc, n):
    """One `scrc run` of N round trips: (program wall ms, whole run s, result)."""
    record = {"id": "interact-bench-%d" % n, "language": "c", "source": read(PROGRAM),
              "limits": {"time_limit_ms": 20000, "wall_time_limit_ms": 60000},
              "interactor": {"language": "c", "source": read(INTERACTOR)},
              "interactor_limits": {"time_limit_ms": 20000},
              "tests": [{"number": 1, "input": "%d\n" % n}]}
    t0 = time.monotonic()
    p = subprocess.run([scrc, "run", "-"], input=json.dumps(record).encode(),
                       capture_output=True, timeout=600)
    whole = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("scrc run failed (%d): %s" % (p.returncode, p.stderr.decode()[-500:]))
    res = json.loads(p.stdout)
    if res["status"] != "OK":
        sys.exit("N=%d judged %s: %s %s" % (n, res["status"], res.get("error"),
                                           res["tests"][0].get("checker_message")))
    return res["tests"][0]["duration_ms"], whole, res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scrc", default="./scrc")
    ap.add_argument("--rounds", default="1000,10000,100000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rounds = [int(x) for x in args.rounds.split(",")]
    tmp = tempfile.mkdtemp(prefix="interact-bench-")
    try:
        # The first judge builds and caches the interactor: not measured.
        judge(args.scrc, 1)
        base = [judge(args.scrc, 0) for _ in range(args.repeat)]
        base_ms = statistics.median(b[0] for b in base)
        base_whole = statistics.median(b[1] for b in base)
        print("interact-bench: N=0: program wall %d ms (start-up of both sides), "
              "whole scrc run %.2f s" % (base_ms, base_whole))
        print("%8s %14s %16s %18s %14s" % ("N", "host us/trip", "scrc us/trip",
                                            "scrc-N0 us/trip", "scrc run s"))
        for n in rounds:
            host = statistics.median(host_round_trip_us(tmp, n) for _ in range(args.repeat))
            runs = [judge(args.scrc, n) for _ in range(args.repeat)]
            wall_ms = statistics.median(r[0] for r in runs)
            whole = statistics.median(r[1] for r in runs)
            print("%8d %14.1f %16.1f %18.1f %14.2f" % (
                n, host, wall_ms * 1000.0 / n, (wall_ms - base_ms) * 1000.0 / n, whole))
        print("interact-bench: the per-exchange figure is scrc-N0 (goal < 100 us, bar 1 ms)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
