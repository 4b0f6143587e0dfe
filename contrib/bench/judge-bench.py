#!/usr/bin/env python3
"""Judge benchmark: a fixed mix of submissions judged by `scrc run`, no Kafka.

Prints, from one run on this machine:
  - per-test overhead (the host's round trip for a test minus the program's own
    wall time, as scrc-box measured it) p50/p95, overall and per language;
  - per-submission overhead per language (the whole `scrc run` wall time minus
    the time the compiler and the tests' programs themselves ran);
  - submissions/second at parallelism 1 and 2 over the same mix.
Figures only: nothing here asserts a speed.

Usage: contrib/bench/judge-bench.py [--scrc PATH] [--rounds N] [--tests N]
         [--languages python,c,...] [--parallel 1,2]
The environment of `scrc run` (SCRC_LANG_DIR, SCRC_BOX, ...) is passed through.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

# One program per language: reads two integers, prints their sum.
PROGRAMS = {
    "python": "a, b = map(int, input().split())\nprint(a + b)\n",
    "c": "#include <stdio.h>\nint main(void){long a,b;if(scanf(\"%ld %ld\",&a,&b)!=2)"
         "return 1;printf(\"%ld\\n\",a+b);return 0;}\n",
    "cpp": "#include <iostream>\nint main(){long a,b;std::cin>>a>>b;"
           "std::cout<<a+b<<\"\\n\";}\n",
    "go": "package main\nimport \"fmt\"\nfunc main(){var a,b int64\nfmt.Scan(&a,&b)\n"
          "fmt.Println(a+b)}\n",
    "java": "import java.util.*;\npublic class Main{public static void main(String[] x)"
            "{Scanner s=new Scanner(System.in);long a=s.nextLong(),b=s.nextLong();"
            "System.out.println(a+b);}}\n",
    "javascript": "const [a,b]=require('fs').readFileSync(0,'utf8').trim().split(/\\s+/)"
                  ".map(Number);console.log(a+b);\n",
    "ruby": "a, b = STDIN.read.split.map(&:to_i)\nputs a + b\n",
}
MEMORY = {"java": 256 << 20}

TEST_RE = re.compile(r"timing test=(\d+) host_us=(\d+) program_ms=(\d+)")
BUILD_RE = re.compile(r"timing phase=build-exec host_us=(\d+) program_ms=(\d+)")


def submission(lang, ntests, n):
    tests = [{"number": i + 1, "input": f"{i} {n}\n", "expected_output": f"{i + n}\n"}
             for i in range(ntests)]
    return {"id": f"bench-{lang}-{n}", "language": lang, "source": PROGRAMS[lang],
            "limits": {"time_limit_ms": 2000, "memory_limit_bytes": MEMORY.get(lang, 64 << 20)},
            "tests": tests}


def judge(scrc, record):
    env = dict(os.environ, SCRC_VERBOSE="1")
    t0 = time.monotonic()
    p = subprocess.run([scrc, "run", "-"], input=json.dumps(record).encode(),
                       capture_output=True, env=env, timeout=600)
    wall_ms = (time.monotonic() - t0) * 1000
    if p.returncode != 0:
        raise SystemExit(f"scrc run failed ({p.returncode}): {p.stderr.decode()[-2000:]}")
    result = json.loads(p.stdout.decode().strip().splitlines()[-1])
    if result["status"] != "OK":
        raise SystemExit(f"{record['id']}: expected OK, got {result['status']}: "
                         f"{result.get('error')}\n{p.stderr.decode()[-2000:]}")
    err = p.stderr.decode()
    tests = [(int(h) / 1000.0, int(prog)) for _, h, prog in TEST_RE.findall(err)]
    build = BUILD_RE.search(err)
    build_prog_ms = int(build.group(2)) if build else 0
    return wall_ms, tests, build_prog_ms


def pct(values, q):
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scrc", default=os.environ.get("SCRC", "./scrc"))
    ap.add_argument("--rounds", type=int, default=3, help="submissions per language")
    ap.add_argument("--tests", type=int, default=10, help="tests per submission")
    ap.add_argument("--languages", default=",".join(PROGRAMS))
    ap.add_argument("--parallel", default="1,2")
    args = ap.parse_args()
    langs = [l for l in args.languages.split(",") if l]

    # Warm-up: one submission per language (first container start, page cache).
    for lang in langs:
        judge(args.scrc, submission(lang, 1, 0))

    overhead = {l: [] for l in langs}
    per_sub = {l: [] for l in langs}
    for n in range(args.rounds):
        for lang in langs:
            wall, tests, build_ms = judge(args.scrc, submission(lang, args.tests, n))
            overhead[lang] += [host - prog for host, prog in tests]
            per_sub[lang].append(wall - build_ms - sum(prog for _, prog in tests))

    print(f"judge benchmark: {args.rounds} submissions x {args.tests} tests per language")
    print(f"{'language':<12} {'test p50':>9} {'test p95':>9} {'sub p50':>9} {'sub p95':>9}"
          "   (overhead, ms)")
    everything = []
    for lang in langs:
        everything += overhead[lang]
        print(f"{lang:<12} {pct(overhead[lang], .5):9.1f} {pct(overhead[lang], .95):9.1f} "
              f"{pct(per_sub[lang], .5):9.0f} {pct(per_sub[lang], .95):9.0f}")
    print(f"{'all':<12} {pct(everything, .5):9.1f} {pct(everything, .95):9.1f}")
    print(f"per-test overhead p50 = {pct(everything, .5):.1f} ms, "
          f"p95 = {pct(everything, .95):.1f} ms over {len(everything)} tests")

    mix = [submission(l, args.tests, 100 + n) for n in range(args.rounds) for l in langs]
    for par in [int(p) for p in args.parallel.split(",") if p]:
        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=par) as pool:
            list(pool.map(lambda r: judge(args.scrc, r), mix))
        dt = time.monotonic() - t0
        print(f"parallelism {par}: {len(mix)} submissions in {dt:.1f} s = "
              f"{len(mix) / dt:.2f} submissions/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
