"""Shared helpers of the simulator tests."""

import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _imports(python, modules):
    code = "; ".join("import %s" % m for m in modules)
    try:
        return subprocess.run([python, "-c", code], capture_output=True,
                              timeout=60).returncode == 0
    except OSError:
        return False


def kafka_python(extra=()):
    """A Python that can import confluent_kafka (and `extra` modules): this
    one when it can, else Debian's /usr/bin/python3. Fails the test with a
    clear message when neither can: the package is a project dependency."""
    modules = ("confluent_kafka",) + tuple(extra)
    for python in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(python) and _imports(python, modules):
            return python
    raise AssertionError("no Python here imports %s: apt-get install python3-confluent-kafka "
                         "python3-matplotlib" % ", ".join(modules))


def env_for_subprocess(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = TOP + os.pathsep + env.get("PYTHONPATH", "")
    for k in ("KAFKA_BROKER", "KAFKA_BROKERS", "KAFKA_TOPIC", "KAFKA_RESULTS_TOPIC",
              "KAFKA_CONSUMER_GROUP", "SCRIPT_ITERATIONS", "RESULT_WAIT_TIMEOUT_SECONDS",
              "RESULT_CONSUMER_LOG_PATH"):
        env.pop(k, None)
    env.update(extra)
    return env


class FakeWorker:
    """Runs simulator.tests.fake_worker with its own mock Kafka cluster."""

    def __init__(self, tmp_path, *args):
        self.python = kafka_python()
        self.log = os.path.join(str(tmp_path), "fake-worker.log")
        self.args = list(args)
        self.proc = None
        self.bootstrap = None

    def __enter__(self):
        import re
        import time
        fh = open(self.log, "w")
        self.proc = subprocess.Popen(
            [self.python, "-m", "simulator.tests.fake_worker", "--embedded-kafka"] + self.args,
            cwd=TOP, env=env_for_subprocess(), stdout=fh, stderr=subprocess.STDOUT)
        fh.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open(self.log) as f:
                m = re.search(r"embedded kafka bootstrap: (\S+)", f.read())
            if m:
                self.bootstrap = m.group(1)
                return self
            assert self.proc.poll() is None, open(self.log).read()
            time.sleep(0.05)
        raise AssertionError("fake worker printed no bootstrap line")

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
