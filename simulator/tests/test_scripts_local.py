"""Every program behaves as its outcome says, checked with this machine's
toolchains (gcc, g++, go, javac/java, node, python3) outside Docker.

ok prints the sum, wa prints something else, bf does not build, re exits
non-zero, tl is still running well past its time limit, ml really touches
far more memory than its limit (Java: dies of OutOfMemoryError under the
-Xmx its profile gives it).
"""

import os
import shutil
import subprocess
import sys
import time

import pytest

from simulator import scenarios

TOOLS = {"c": "gcc", "cpp": "g++", "go": "go", "java": "javac", "javascript": "node",
         "python": None}


def _build(lang, src, d):
    """Returns (argv to run, build CompletedProcess)."""
    env = dict(os.environ)
    if lang == "python":
        shutil.copy(src, os.path.join(d, "main.py"))
        cmd, run = [sys.executable, "-m", "py_compile", "main.py"], [sys.executable, "-B",
                                                                     "main.py"]
    elif lang == "c":
        shutil.copy(src, os.path.join(d, "main.c"))
        cmd = ["gcc", "-O2", "-std=gnu11", "-static", "-o", "main", "main.c", "-lm"]
        run = ["./main"]
    elif lang == "cpp":
        shutil.copy(src, os.path.join(d, "main.cpp"))
        cmd = ["g++", "-O2", "-std=gnu++17", "-static", "-o", "main", "main.cpp"]
        run = ["./main"]
    elif lang == "go":
        shutil.copy(src, os.path.join(d, "main.go"))
        # The judge's image has Go 1.19: hold the language version there.
        env.update(GO111MODULE="off", CGO_ENABLED="0")
        if not env.get("HOME"):
            env["GOCACHE"] = os.path.join(d, "gocache")
        cmd = ["go", "build", "-gcflags=-lang=go1.19", "-o", "main", "main.go"]
        run = ["./main"]
    elif lang == "java":
        shutil.copy(src, os.path.join(d, "Main.java"))
        cmd = ["javac", "--release", "17", "-d", "classes", "Main.java"]
        run = ["java", "-Xmx%dm" % (scenarios.MEMORY_LIMIT_BYTES["java"] >> 20),
               "-XX:+UseSerialGC", "-cp", "classes", "Main"]
    else:
        shutil.copy(src, os.path.join(d, "main.js"))
        cmd, run = ["node", "--check", "main.js"], ["node", "main.js"]
    proc = subprocess.run(cmd, cwd=d, env=env, capture_output=True, text=True, timeout=180)
    return run, proc


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    for lang, tool in TOOLS.items():
        assert tool is None or shutil.which(tool), "toolchain %s missing for %s" % (tool, lang)
    out = {}
    for sc in scenarios.all_scenarios():
        d = str(tmp_path_factory.mktemp(sc.key))
        run, proc = _build(sc.language, sc.script_path, d)
        out[sc.key] = (d, run, proc)
    return out


def _run(built, key, stdin, timeout=30):
    d, run, proc = built[key]
    assert proc.returncode == 0, "%s did not build:\n%s" % (key, proc.stderr)
    return subprocess.run(run, cwd=d, input=stdin, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("lang", scenarios.LANGUAGES)
def test_ok_and_wa(built, lang):
    for inp, want in scenarios.DEFAULT_TESTS:
        ok = _run(built, lang + "-ok", inp)
        assert (ok.returncode, ok.stdout) == (0, want), ok.stderr
        wa = _run(built, lang + "-wa", inp)
        assert wa.returncode == 0 and wa.stdout != want and wa.stdout.strip(), wa.stderr


@pytest.mark.parametrize("lang", scenarios.LANGUAGES)
def test_bf_does_not_build(built, lang):
    _, _, proc = built[lang + "-bf"]
    assert proc.returncode != 0
    # A diagnostic that points into the source, not a crash of the tool.
    assert "ain." in proc.stderr + proc.stdout, proc.stderr


@pytest.mark.parametrize("lang", scenarios.LANGUAGES)
def test_re_fails_at_run_time(built, lang):
    res = _run(built, lang + "-re", "40 2\n")
    assert res.returncode != 0
    assert res.stdout.strip() != "42"


def test_tl_runs_past_every_time_limit(built):
    procs = {}
    for lang in scenarios.LANGUAGES:
        d, run, proc = built[lang + "-tl"]
        assert proc.returncode == 0, proc.stderr
        procs[lang] = subprocess.Popen(run, cwd=d, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        procs[lang].stdin.write(b"40 2\n")
        procs[lang].stdin.close()
    try:
        time.sleep(max(scenarios.TIME_LIMIT_MS.values()) / 1000.0 + 1.0)
        for lang, p in procs.items():
            assert p.poll() is None, "%s-tl stopped by itself: %s" % (lang, p.stderr.read())
    finally:
        for p in procs.values():
            p.kill()
            p.wait()
            p.stdout.close()
            p.stderr.close()


@pytest.mark.parametrize("lang", [x for x in scenarios.LANGUAGES if x != "java"])
def test_ml_touches_memory_far_beyond_the_limit(built, lang):
    d, run, proc = built[lang + "-ml"]
    assert proc.returncode == 0, proc.stderr
    p = subprocess.Popen(run, cwd=d, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    p.stdin.write(b"40 2\n")
    p.stdin.close()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = status
    peak = usage.ru_maxrss * 1024
    assert peak >= 4 * scenarios.MEMORY_LIMIT_BYTES[lang], "%s peak %d MiB" % (lang, peak >> 20)


def test_java_ml_runs_out_of_heap(built):
    res = _run(built, "java-ml", "40 2\n", timeout=60)
    assert res.returncode != 0
    assert "java.lang.OutOfMemoryError" in res.stderr
