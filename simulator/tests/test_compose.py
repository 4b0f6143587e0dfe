"""contrib/docker-compose.yml: validated by the best tool this machine has
(`docker compose` plugin, else `docker-compose`, else a YAML parse), plus
the structure the profiles and --scale rely on."""

import json
import os
import shutil
import subprocess

from simulator.tests.helpers import TOP

COMPOSE = os.path.join(TOP, "contrib", "docker-compose.yml")


def _validators():
    out = []
    if shutil.which("docker") and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, timeout=60).returncode == 0:
        out.append(("docker compose", ["docker", "compose", "-f", COMPOSE]))
    if shutil.which("docker-compose"):
        out.append(("docker-compose", ["docker-compose", "-f", COMPOSE]))
    return out


def _load_yaml():
    """The file as data, through whichever Python has PyYAML."""
    code = "import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), sys.stdout)"
    for python in (os.environ.get("PYTHON"), "python3", "/usr/bin/python3"):
        if not python:
            continue
        try:
            proc = subprocess.run([python, "-c", code, COMPOSE], capture_output=True,
                                  text=True, timeout=60)
        except OSError:
            continue
        if proc.returncode == 0:
            return json.loads(proc.stdout)
    return None


def _config(args):
    cmd = list(args)
    return subprocess.run(cmd + ["config"], cwd=os.path.dirname(COMPOSE),
                          capture_output=True, text=True, timeout=120)


def test_compose_file_validates():
    tried = []
    for name, args in _validators():
        proc = _config(args)
        tried.append("%s: exit %d %s" % (name, proc.returncode, proc.stderr.strip()[:300]))
        if proc.returncode == 0:
            # A validator answered: its normalised output must hold our services.
            for svc in ("kafka:", "scrc:", "simulator:", "benchmark:"):
                assert svc in proc.stdout, (name, svc)
            for prof in ("single-runner", "multi-runner", "load-generator", "benchmark"):
                assert prof in proc.stdout, (name, prof)
            return
        raise AssertionError("%s rejects the compose file:\n%s" % (name, proc.stderr))
    data = _load_yaml()
    assert data is not None, "no compose validator and no YAML parser: %s" % tried
    assert isinstance(data.get("services"), dict)


def test_compose_structure():
    data = _load_yaml()
    assert data is not None, "no Python with PyYAML"
    svcs = data["services"]
    assert set(svcs) == {"kafka", "scrc", "simulator", "benchmark"}
    assert "profiles" not in svcs["kafka"]           # Kafka runs in every profile
    assert "broker,controller" in str(svcs["kafka"]["environment"]["KAFKA_PROCESS_ROLES"])
    assert svcs["kafka"]["image"].endswith(tuple(["apache/kafka:3.8.0}", "apache/kafka:3.8.0"]))
    scrc = svcs["scrc"]
    assert set(scrc["profiles"]) == {"single-runner", "multi-runner", "benchmark"}
    # --scale scrc=N needs no fixed name and no host port.
    assert "container_name" not in scrc and "ports" not in scrc
    assert "/var/run/docker.sock:/var/run/docker.sock" in scrc["volumes"]
    assert scrc["build"]["dockerfile"] == "contrib/Dockerfile"
    assert scrc["environment"]["KAFKA_BROKERS"] == "kafka:9092"
    assert svcs["simulator"]["profiles"] == ["load-generator"]
    assert svcs["simulator"]["build"]["dockerfile"] == "contrib/Dockerfile.simulator"
    assert svcs["benchmark"]["profiles"] == ["benchmark"]
    assert "simulator.bench" in svcs["benchmark"]["command"]
    for name in ("simulator", "benchmark", "scrc"):
        assert svcs[name]["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_dockerfiles_exist_and_build_what_compose_names():
    with open(os.path.join(TOP, "contrib", "Dockerfile")) as fh:
        df = fh.read()
    assert "FROM ${DEBIAN_IMAGE} AS build" in df and "ARG DEBIAN_IMAGE=debian:bookworm" in df
    assert "./bootstrap" in df and "./configure" in df and "make install" in df
    assert "docker.io" in df and 'ENTRYPOINT ["/usr/local/bin/scrc"]' in df
    with open(os.path.join(TOP, "contrib", "Dockerfile.simulator")) as fh:
        ds = fh.read()
    assert "python3-confluent-kafka" in ds and "COPY simulator/" in ds
    assert '"-m", "simulator.main"' in ds
