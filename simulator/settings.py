"""Settings from environment variables and command-line flags.

Each setting has one or more environment variables (the first one set
wins), a flag and a default; a flag given on the command line wins over the
environment. Values are converted and range-checked here, so the programs
get plain, valid values or a clear error.
"""

import argparse
import os
import uuid
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from simulator.problems import PROGRAMS_DIR


@dataclass(frozen=True)
class Setting:
    name: str                 # attribute name in the result
    envs: Sequence[str]       # environment variables, first set wins
    flag: str                 # --flag
    kind: Callable            # int, float or str
    default: object           # value, or a callable returning one
    help: str
    minimum: Optional[float] = None
    aliases: Sequence[str] = ()  # other spellings of the flag


def _random_group():
    return "scrc-simulator-" + uuid.uuid4().hex[:12]


KAFKA_SETTINGS = (
    Setting("broker", ("KAFKA_BROKER", "KAFKA_BROKERS"), "--broker", str, "localhost:9092",
            "Kafka bootstrap servers (comma-separated)", aliases=("--brokers",)),
    Setting("topic", ("KAFKA_TOPIC",), "--topic", str, "scripts", "topic of submissions"),
    Setting("results_topic", ("KAFKA_RESULTS_TOPIC",), "--results-topic", str,
            "script-results", "topic of results"),
    Setting("group", ("KAFKA_CONSUMER_GROUP",), "--group", str, _random_group,
            "consumer group of the results consumer (default: a fresh random one)"),
    Setting("poll_timeout_ms", ("CONSUMER_POLL_TIMEOUT_MS",), "--poll-timeout-ms", int, 500,
            "one consumer poll waits at most this long", minimum=1),
)

MAIN_SETTINGS = KAFKA_SETTINGS + (
    Setting("iterations", ("SCRIPT_ITERATIONS",), "--iterations", int, 1,
            "batches of the whole matrix to publish (<= 0: forever)"),
    Setting("interval", ("SCRIPT_INTERVAL_SECONDS",), "--interval", float, 0.0,
            "seconds between batches", minimum=0),
    Setting("wait_timeout", ("RESULT_WAIT_TIMEOUT_SECONDS",), "--wait-timeout", float, 60.0,
            "give up when no awaited result arrived for this many seconds", minimum=0),
    Setting("log_path", ("RESULT_CONSUMER_LOG_PATH",), "--log", str,
            os.path.join("simulator", "consumer.log"), "detailed log of every result"),
    Setting("languages", ("SIMULATOR_LANGUAGES",), "--languages", str, "all",
            "comma-separated languages to publish"),
    Setting("outcomes", ("SIMULATOR_OUTCOMES",), "--outcomes", str, "all",
            "comma-separated outcomes to publish"),
    Setting("tables", ("SIMULATOR_TABLES",), "--tables", str, "all",
            "comma-separated tables to publish: matrix, problems"),
    Setting("problems", ("SIMULATOR_PROBLEMS",), "--problems", str, "all",
            "comma-separated rows of the problems table to publish"),
    Setting("programs_dir", ("SIMULATOR_PROGRAMS_DIR",), "--programs-dir", str, PROGRAMS_DIR,
            "where the problems table's programs are (bats/programs of the source tree)"),
    Setting("assign_timeout", ("SIMULATOR_ASSIGN_TIMEOUT_SECONDS",), "--assign-timeout", float,
            30.0, "wait this long for the results partitions before producing", minimum=0),
    Setting("create_topics", ("SIMULATOR_CREATE_TOPICS",), "--create-topics", int, 0,
            "create both topics with this many partitions first (0: rely on the broker's "
            "auto-creation)", minimum=0),
)


class SettingsError(ValueError):
    pass


def add_flags(parser, table):
    """Adds one flag per setting; defaults stay None so absence is visible."""
    for s in table:
        envs = "/".join(s.envs)
        default = "random" if callable(s.default) else s.default
        parser.add_argument(s.flag, *s.aliases, dest=s.name, default=None,
                            help="%s (env %s, default %s)" % (s.help, envs, default))


def resolve(table, args, environ=None):
    """Returns a Namespace with one converted value per setting."""
    environ = os.environ if environ is None else environ
    out = argparse.Namespace()
    out.explicit = set()             # names given by a flag or the environment
    for s in table:
        raw = getattr(args, s.name, None)
        source = s.flag
        if raw is None:
            for env in s.envs:
                if environ.get(env, "") != "":
                    raw, source = environ[env], env
                    break
        if raw is None:
            value = s.default() if callable(s.default) else s.default
        else:
            out.explicit.add(s.name)
            try:
                value = s.kind(str(raw).strip())
            except ValueError:
                raise SettingsError("%s: %r is not a valid %s" % (source, raw, s.kind.__name__))
            if s.minimum is not None and value < s.minimum:
                raise SettingsError("%s: %r is below %s" % (source, raw, s.minimum))
        setattr(out, s.name, value)
    return out


def parse(table, argv, description, environ=None, extra=None):
    """Builds the parser (plus `extra(parser)` flags), parses argv, resolves."""
    parser = argparse.ArgumentParser(description=description)
    add_flags(parser, table)
    if extra is not None:
        extra(parser)
    args = parser.parse_args(argv)
    values = resolve(table, args, environ)
    for k, v in vars(args).items():
        if not hasattr(values, k):
            setattr(values, k, v)
    return values
