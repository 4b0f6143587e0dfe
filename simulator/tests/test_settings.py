"""Environment variables and flags."""

import pytest

from simulator import settings
from simulator.settings import MAIN_SETTINGS


def parse(argv, env):
    return settings.parse(MAIN_SETTINGS, argv, "t", env)


def test_defaults():
    cfg = parse([], {})
    assert cfg.broker == "localhost:9092"
    assert cfg.topic == "scripts" and cfg.results_topic == "script-results"
    assert cfg.iterations == 1 and cfg.interval == 0.0 and cfg.wait_timeout == 60.0
    assert cfg.poll_timeout_ms == 500
    assert cfg.log_path.endswith("simulator/consumer.log")
    assert cfg.group.startswith("scrc-simulator-")
    assert cfg.group != parse([], {}).group
    assert cfg.explicit == set()


def test_environment_then_flags():
    env = {"KAFKA_BROKERS": "b:1", "KAFKA_TOPIC": "t", "SCRIPT_ITERATIONS": "3",
           "RESULT_WAIT_TIMEOUT_SECONDS": "7.5", "KAFKA_CONSUMER_GROUP": "g",
           "CONSUMER_POLL_TIMEOUT_MS": "100", "SCRIPT_INTERVAL_SECONDS": "2",
           "RESULT_CONSUMER_LOG_PATH": "/x.log"}
    cfg = parse([], env)
    assert (cfg.broker, cfg.topic, cfg.iterations, cfg.wait_timeout, cfg.group,
            cfg.poll_timeout_ms, cfg.interval, cfg.log_path) == \
        ("b:1", "t", 3, 7.5, "g", 100, 2.0, "/x.log")
    assert {"broker", "topic", "iterations"} <= cfg.explicit
    cfg = parse(["--broker", "f:2", "--iterations", "0", "--topic", "u"], env)
    assert (cfg.broker, cfg.iterations, cfg.topic) == ("f:2", 0, "u")
    cfg = parse(["--brokers", "g:3"], env)
    assert cfg.broker == "g:3"


def test_kafka_broker_wins_over_kafka_brokers():
    assert parse([], {"KAFKA_BROKER": "a:1", "KAFKA_BROKERS": "b:2"}).broker == "a:1"
    assert parse([], {"KAFKA_BROKER": "", "KAFKA_BROKERS": "b:2"}).broker == "b:2"


def test_bad_values():
    with pytest.raises(settings.SettingsError, match="SCRIPT_ITERATIONS"):
        parse([], {"SCRIPT_ITERATIONS": "many"})
    with pytest.raises(settings.SettingsError, match="--poll-timeout-ms"):
        parse(["--poll-timeout-ms", "0"], {})
    with pytest.raises(settings.SettingsError):
        parse(["--wait-timeout", "-1"], {})
