"""contrib/demo.sh with a stand-in worker (SCRC_DEMO_SKIP_SETUP: no Docker)."""

import os
import re
import stat
import subprocess

from simulator.tests.helpers import TOP, env_for_subprocess, kafka_python


def fake_scrc(tmp_path, python, *args):
    path = tmp_path / "scrc"
    path.write_text("#!/bin/sh\ncd %s && exec %s -m simulator.tests.fake_worker %s \"$@\"\n"
                    % (TOP, python, " ".join(args)))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def run_demo(tmp_path, scrc, python, **env):
    e = env_for_subprocess(SCRC=scrc, SCRC_SRCDIR=TOP, SCRC_DEMO_SKIP_SETUP="1",
                           PYTHON=python, DEMO_LOG_DIR=str(tmp_path / "logs"), **env)
    return subprocess.run(["bash", os.path.join(TOP, "contrib", "demo.sh")], env=e,
                          capture_output=True, text=True, timeout=180)


def worker_gone(tmp_path):
    # The stand-in writes its pid nowhere; look for any process still
    # running our fake scrc script from this tmp dir.
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return str(tmp_path) not in out


def test_demo_passes_and_stops_the_worker(tmp_path):
    python = kafka_python()
    proc = run_demo(tmp_path, fake_scrc(tmp_path, python), python)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "embedded Kafka at 127.0.0.1:" in proc.stderr
    assert "simulator: PASS" in proc.stdout
    assert re.search(r"^python +OK +WA +TL +ML +BF +RE$", proc.stdout, re.M)
    # forth cannot be BF: its cell says so instead of waiting for a verdict.
    assert re.search(r"^forth +OK +WA +TL +ML +n/a +RE$", proc.stdout, re.M)
    assert "every verdict as expected" in proc.stderr
    assert (tmp_path / "logs" / "consumer.log").stat().st_size > 0
    assert worker_gone(tmp_path)


def test_demo_fails_on_a_wrong_verdict(tmp_path):
    python = kafka_python()
    proc = run_demo(tmp_path, fake_scrc(tmp_path, python, "--wrong=java-tl=OK"), python,
                    DEMO_RESULT_TIMEOUT="10")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "OK!=TL" in proc.stdout
    assert "FAILED (simulator status 1)" in proc.stderr
    assert worker_gone(tmp_path)


def test_demo_fails_when_the_worker_dies(tmp_path):
    python = kafka_python()
    bad = tmp_path / "scrc"
    bad.write_text("#!/bin/sh\necho 'scrc: cannot start' >&2\nexit 3\n")
    bad.chmod(0o755)
    proc = run_demo(tmp_path, str(bad), python)
    assert proc.returncode == 1
    assert "exited (status 3) before printing its bootstrap" in proc.stderr
    assert "scrc: cannot start" in proc.stderr
