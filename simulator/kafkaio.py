"""Thin wrappers over confluent-kafka (Debian's python3-confluent-kafka).

The import happens on first use, so the pure modules and their tests work
on a Python without the Kafka client.
"""

import json
import sys
import time


def _ck():
    try:
        import confluent_kafka
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise SystemExit(
            "simulator: the Kafka client is missing (%s); install python3-confluent-kafka "
            "and run with the Python that has it (e.g. /usr/bin/python3)" % exc
        )
    return confluent_kafka


def ensure_topics(broker, topics, partitions=1, timeout=10.0):
    """Creates the topics when missing; quietly gives up when the cluster
    cannot (auto-creation then has to do). Returns the topics it failed to
    confirm."""
    ck = _ck()
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": broker})
    failed = []
    try:
        futures = admin.create_topics(
            [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in topics],
            request_timeout=timeout,
        )
    except Exception:  # noqa: BLE001 - old brokers / mock clusters
        return list(topics)
    for topic, fut in futures.items():
        try:
            fut.result(timeout=timeout)
        except ck.KafkaException as exc:
            err = exc.args[0] if exc.args else None
            if getattr(err, "code", lambda: None)() != ck.KafkaError.TOPIC_ALREADY_EXISTS:
                failed.append(topic)
        except Exception:  # noqa: BLE001
            failed.append(topic)
    return failed


class Producer:
    """Submission producer: key = id, value = JSON. Counts delivery errors."""

    def __init__(self, broker, topic):
        ck = _ck()
        self.topic = topic
        self.errors = []
        self.delivered = 0
        self._p = ck.Producer({
            "bootstrap.servers": broker,
            "acks": "all",
            "linger.ms": 5,
            "message.timeout.ms": 30000,
        })

    def _on_delivery(self, err, msg):
        if err is not None:
            self.errors.append("%s: %s" % (msg.key().decode("utf-8", "replace"), err))
        else:
            self.delivered += 1

    def send(self, sub_id, record):
        value = json.dumps(record).encode("utf-8")
        while True:
            try:
                self._p.produce(self.topic, key=sub_id.encode("utf-8"), value=value,
                                on_delivery=self._on_delivery)
                break
            except BufferError:
                self._p.poll(0.1)
        self._p.poll(0)

    def poll(self):
        self._p.poll(0)

    def flush(self, timeout=35.0):
        """Returns the number of records still undelivered."""
        return self._p.flush(timeout)


class ResultConsumer:
    """Results consumer: fresh group, earliest offsets, assignment tracking."""

    def __init__(self, broker, topic, group, auto_create=True):
        ck = _ck()
        self._ck = ck
        self.topic = topic
        self.assigned = []
        conf = {
            "bootstrap.servers": broker,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": True,
            "session.timeout.ms": 10000,
            "topic.metadata.refresh.interval.ms": 2000,
            # Latency is measured at this consumer: do not let a fetch idle long.
            "fetch.wait.max.ms": 50,
        }
        if auto_create:
            conf["allow.auto.create.topics"] = True
        try:
            self._c = ck.Consumer(conf)
        except ck.KafkaException:
            conf.pop("allow.auto.create.topics", None)
            self._c = ck.Consumer(conf)
        self._c.subscribe([topic], on_assign=self._on_assign, on_revoke=self._on_revoke)

    def _on_assign(self, consumer, partitions):
        self.assigned = [(p.topic, p.partition) for p in partitions]

    def _on_revoke(self, consumer, partitions):
        self.assigned = []

    def wait_assignment(self, timeout, on_message):
        """Polls until partitions are assigned or timeout; messages that
        arrive meanwhile go to on_message. Returns True when assigned."""
        deadline = time.monotonic() + timeout
        while not self.assigned and time.monotonic() < deadline:
            self.poll(0.2, on_message)
        return bool(self.assigned)

    def poll(self, timeout, on_message):
        """One poll; calls on_message(key, value_bytes) for a data record.
        Returns True when a record was handled."""
        msg = self._c.poll(timeout)
        if msg is None:
            return False
        err = msg.error()
        if err is not None:
            if err.code() == self._ck.KafkaError._PARTITION_EOF:
                return False
            print("simulator: consumer: %s" % err, file=sys.stderr)
            return False
        key = msg.key().decode("utf-8", "replace") if msg.key() is not None else None
        on_message(key, msg.value())
        return True

    def close(self):
        try:
            self._c.close()
        except Exception:  # noqa: BLE001
            pass
