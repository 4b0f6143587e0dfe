#!/usr/bin/env python3
"""Judge benchmark: a fixed mix of submissions judged by `scrc run`, no Kafka.

Prints, from one run on this machine:
  - per-test overhead (the host's round trip for a test minus the program's own
    wall time, as scrc-box measured it) p50/p95, overall and per language;
  - per-submission overhead per language (the whole `scrc run` wall time minus
    the time the compiler and the tests' programs themselves ran);
  - submissions/second at parallelism 1 and 2 over the same mix.
With --baseline-scrc PATH (another build of scrc, an older commit say), each
submission is judged by both, one after the other in alternating order, and
a side-by-side table follows: per-submission latency overhead, CPU per
submission split into our process tree (scrc and the docker CLI processes it
starts), dockerd + containerd, the containers' shims and runc (running, or
reaped by init: simulator/hostcpu.py), and the judge overhead (all CPU the host spent, minus what the
compiler and the tests' programs used), and docker CLI calls per submission.
Host CPU is read from /proc/stat: run it on a quiet machine.
Figures only: nothing here asserts a speed.

Every submission's source is unique (a comment with a nonce), so the build
cache never helps; with --same-sources each language sends one source over
and over, as a contest's resubmissions and rejudges do, and all but the
first build come from the cache. The images are listed once and handed to
every `scrc run` (SCRC_IMAGE_IDS), as a worker does for its judges.

Usage: contrib/bench/judge-bench.py [--scrc PATH] [--rounds N] [--tests N]
         [--languages python,c,...] [--parallel 1,2] [--same-sources]
         [--baseline-scrc PATH [--baseline-box PATH] [--baseline-lang-dir DIR]]
The environment of `scrc run` (SCRC_LANG_DIR, SCRC_BOX, ...) is passed through.
"""
import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

# The /proc arithmetic is the simulator's benchmark's (the top of the tree).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from simulator import hostcpu  # noqa: E402

# One program per language: reads two integers, prints their sum.
PROGRAMS = {
    "python": "a, b = map(int, input().split())\nprint(a + b)\n",
    "c": "#include <stdio.h>\nint main(void){long a,b;if(scanf(\"%ld %ld\",&a,&b)!=2)"
         "return 1;printf(\"%ld\\n\",a+b);return 0;}\n",
    # As most contest C++ does: the whole library through <bits/stdc++.h>.
    "cpp": "#include <bits/stdc++.h>\nint main(){long a,b;std::cin>>a>>b;"
           "std::cout<<a+b<<\"\\n\";}\n",
    "go": "package main\nimport \"fmt\"\nfunc main(){var a,b int64\nfmt.Scan(&a,&b)\n"
          "fmt.Println(a+b)}\n",
    "java": "import java.util.*;\npublic class Main{public static void main(String[] x)"
            "{Scanner s=new Scanner(System.in);long a=s.nextLong(),b=s.nextLong();"
            "System.out.println(a+b);}}\n",
    "javascript": "const [a,b]=require('fs').readFileSync(0,'utf8').trim().split(/\\s+/)"
                  ".map(Number);console.log(a+b);\n",
    "ruby": "a, b = STDIN.read.split.map(&:to_i)\nputs a + b\n",
    "clojure": "(let [[a b] (map read-string (clojure.string/split (clojure.string/trim "
               "(slurp *in*)) #\" +\"))]\n  (println (+ a b)))\n",
}
MEMORY = {"java": 256 << 20, "clojure": 256 << 20}

TEST_RE = re.compile(r"timing test=(\d+) host_us=(\d+) program_ms=(\d+)")
BUILD_RE = re.compile(r"timing phase=build-exec host_us=(\d+) program_ms=(\d+)")
BUILD_CPU_RE = re.compile(r"timing phase=build-exec .* cpu_ms=(\d+)")


# How each language says "the rest of this line is a comment".
COMMENT = {"python": "#", "ruby": "#", "c": "//", "cpp": "//", "go": "//", "java": "//",
           "javascript": "//", "clojure": ";"}
# Unique to this run of the benchmark: no build cache has seen its sources.
NONCE = uuid.uuid4().hex
SAME_SOURCES = False
WARM_UP = 10 ** 6      # the warm-up's submission number: no round's


def source_of(lang, n):
    """The language's program; unless --same-sources, made unique by a comment
    (a build cache could otherwise answer from an earlier build)."""
    if SAME_SOURCES:
        return PROGRAMS[lang]
    return f"{PROGRAMS[lang]}{COMMENT[lang]} judge-bench {NONCE} {n}\n"


def submission(lang, ntests, n):
    tests = [{"number": i + 1, "input": f"{i} {n}\n", "expected_output": f"{i + n}\n"}
             for i in range(ntests)]
    return {"id": f"bench-{lang}-{n}", "language": lang, "source": source_of(lang, n),
            "limits": {"time_limit_ms": 2000, "memory_limit_bytes": MEMORY.get(lang, 64 << 20)},
            "tests": tests}


def run_scrc(scrc, record, extra_env=None):
    """`scrc run` of one record, which must be OK: ms until its result line
    (what a worker publishes on: the boxes are removed after it), result, stderr."""
    env = dict(os.environ, SCRC_VERBOSE="1", **(extra_env or {}))
    with tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen([scrc, "run", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=err, env=env)
        p.stdin.write(json.dumps(record).encode())
        p.stdin.close()
        line = p.stdout.readline()
        wall_ms = (time.monotonic() - t0) * 1000
        line += p.stdout.read()
        p.wait(timeout=600)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if p.returncode != 0:
        raise SystemExit(f"{scrc} run failed ({p.returncode}): {stderr[-2000:]}")
    result = json.loads(line.decode().strip().splitlines()[-1])
    if result["status"] != "OK":
        raise SystemExit(f"{scrc}: {record['id']}: expected OK, got {result['status']}: "
                         f"{result.get('error')}\n{stderr[-2000:]}")
    return wall_ms, result, stderr


def judge(scrc, record, extra_env=None):
    """Wall ms, (host ms, program ms) per test, the build's program ms."""
    wall_ms, _, err = run_scrc(scrc, record, extra_env)
    tests = [(int(h) / 1000.0, int(prog)) for _, h, prog in TEST_RE.findall(err)]
    build = BUILD_RE.search(err)
    build_prog_ms = int(build.group(2)) if build else 0
    return wall_ms, tests, build_prog_ms


def cpu_snapshot():
    """CPU seconds so far: our reaped `scrc run` trees, the docker daemons,
    the containers (shims, runc and what init reaped of them), the host."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    s = hostcpu.snapshot([])
    return {"tree": ru.ru_utime + ru.ru_stime,
            "daemons": s["daemons"] / hostcpu.TICK,
            "shims": s["containers"] / hostcpu.TICK,
            "host": s["host"] / hostcpu.TICK}


def side_by_side(args, langs):
    """Both builds judge each submission, alternately first; one table."""
    work = tempfile.mkdtemp(prefix="judge-bench.")
    calls = os.path.join(work, "calls")
    cli = os.path.join(work, "cli")
    real = shutil.which(os.environ.get("SCRC_DOCKER", "docker"))
    with open(cli, "w") as f:
        f.write(f'#!/bin/sh\necho "$1" >> {calls}\nexec {real} "$@"\n')
    os.chmod(cli, 0o755)
    # As a worker does for its judges: the CLI's kind asked once, not per judge.
    version = subprocess.run([real, "--version"], capture_output=True, text=True).stdout
    os.environ["SCRC_DOCKER_FLAVOUR"] = "podman" if version.lower().startswith("podman") \
        else "docker"
    variants = {"scrc": (args.scrc, {}),
                "baseline": (args.baseline_scrc,
                             dict({"SCRC_BOX": args.baseline_box} if args.baseline_box else {},
                                  **({"SCRC_LANG_DIR": args.baseline_lang_dir}
                                     if args.baseline_lang_dir else {})))}
    rows = {(v, l): {"wall": [], "lat": [], "tree": [], "daemons": [], "shims": [],
                     "over": [], "calls": []} for v in variants for l in langs}
    for v, (path, env) in variants.items():       # warm-up, volumes filled
        for lang in langs:
            judge(path, submission(lang, 1, WARM_UP), dict(env, SCRC_DOCKER=cli))
    for n in range(args.rounds):
        order = list(variants) if n % 2 == 0 else list(reversed(variants))
        for lang in langs:
            for v in order:
                path, env = variants[v]
                open(calls, "w").close()
                before = cpu_snapshot()
                wall, tests, build_ms, prog_cpu = judge_cpu(
                    path, submission(lang, args.tests, 1000 + n), dict(env, SCRC_DOCKER=cli))
                after = cpu_snapshot()
                d = {k: after[k] - before[k] for k in after}
                r = rows[(v, lang)]
                r["wall"].append(wall)
                r["lat"].append(wall - build_ms - sum(p for _, p in tests))
                r["tree"].append(d["tree"] * 1000)
                r["daemons"].append(d["daemons"] * 1000)
                r["shims"].append(d["shims"] * 1000)
                r["over"].append(d["host"] * 1000 - prog_cpu)
                with open(calls) as f:
                    r["calls"].append(sum(1 for _ in f))
    shutil.rmtree(work, ignore_errors=True)
    print(f"\nside by side: {args.rounds} submissions x {args.tests} tests per language "
          f"and build, interleaved; medians per submission, ms (calls: docker CLI calls)")
    print(f"  scrc     = {args.scrc}\n  baseline = {args.baseline_scrc}")
    cols = [("wall", "latency to the result"), ("lat", "latency overhead"), ("tree", "our tree CPU"),
            ("daemons", "dockerd+containerd CPU"), ("shims", "shims+runc CPU"),
            ("over", "judge overhead CPU"), ("calls", "CLI calls")]
    print(f"{'language':<11} {'metric':<24} {'baseline':>9} {'scrc':>9} {'scrc/base':>9}")
    for lang in langs:
        for key, label in cols:
            b = statistics.median(rows[("baseline", lang)][key])
            c = statistics.median(rows[("scrc", lang)][key])
            ratio = f"{c / b:9.2f}" if b > 0 else f"{'-':>9}"
            print(f"{lang:<11} {label:<24} {b:9.0f} {c:9.0f} {ratio}")
    return 0


def judge_cpu(scrc, record, extra_env):
    """judge() plus the CPU ms the compiler and the tests' programs used."""
    wall_ms, result, err = run_scrc(scrc, record, extra_env)
    tests = [(int(h) / 1000.0, int(prog)) for _, h, prog in TEST_RE.findall(err)]
    build = BUILD_RE.search(err)
    build_cpu = BUILD_CPU_RE.search(err)
    prog_cpu = sum(t.get("cpu_time_ms", 0) for t in result.get("tests", []))
    # A baseline without the compiler's CPU in its log: counted as its wall time.
    prog_cpu += int(build_cpu.group(1)) if build_cpu else (int(build.group(2)) if build else 0)
    return wall_ms, tests, int(build.group(2)) if build else 0, prog_cpu


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
    ap.add_argument("--baseline-scrc", help="another scrc build, judged side by side")
    ap.add_argument("--baseline-box", help="its scrc-box (default: SCRC_BOX)")
    ap.add_argument("--baseline-lang-dir",
                    help="its language profiles, when it cannot read ours (default: "
                         "SCRC_LANG_DIR)")
    ap.add_argument("--same-sources", action="store_true",
                    help="every submission of a language has the same source (a build "
                         "cache answers all but the first); by default each is unique")
    args = ap.parse_args()
    langs = [l for l in args.languages.split(",") if l]
    global SAME_SOURCES
    SAME_SOURCES = args.same_sources
    # As a worker does for its judges: the images listed once, not per judge.
    cli = shutil.which(os.environ.get("SCRC_DOCKER", "docker"))
    os.environ["SCRC_IMAGE_IDS"] = " ".join(subprocess.run(
        [cli, "images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}}={{.ID}}"],
        capture_output=True, text=True, check=True).stdout.split())
    print("sources: " + ("the same for every submission of a language (--same-sources)"
                         if SAME_SOURCES else "unique per submission (no cache can help)"))
    if args.baseline_scrc:
        return side_by_side(args, langs)

    # Warm-up: one submission per language (first container start, page cache).
    for lang in langs:
        judge(args.scrc, submission(lang, 1, WARM_UP))

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
