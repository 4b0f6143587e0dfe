#!/usr/bin/python3
"""kafka_tool.py - Kafka helpers for the worker integration tests.

  gen N [--lang L] [--prefix P] [--kind ok|sleep|bad]   print N submission records (JSON lines)
  produce TOPIC [--key-mode id|none|KEY] [--partition N] < records
                          produce one record per stdin line (the line is the value)
  collect TOPIC --count N [--timeout S] [--out FILE] [--all]
                          read TOPIC from the beginning until N distinct result ids
                          were seen (--all: to the end of every partition); print
                          every result record (JSON, "_key" and "_ts" added);
                          exit 1 when fewer than N ids came before the timeout
  committed TOPIC GROUP   print "partition committed end" lines; exit 1 unless every
                          partition's committed offset equals its end offset
  latency SUBTOPIC RESTOPIC
                          match submissions to results by id (first result of each)
                          and print count, throughput and latency percentiles

Brokers come from $KAFKA_BROKERS (default 127.0.0.1:9092).
"""
import json
import os
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING

BROKERS = os.environ.get("KAFKA_BROKERS", "127.0.0.1:9092")

SOURCES = {
    "python": "a, b = map(int, input().split())\nprint(a + b)\n",
    "c": "#include <stdio.h>\nint main(void){int a,b;scanf(\"%d %d\",&a,&b);"
         "printf(\"%d\\n\",a+b);return 0;}\n",
    "cpp": "#include <iostream>\nint main(){int a,b;std::cin>>a>>b;"
           "std::cout<<a+b<<std::endl;}\n",
    "go": "package main\nimport \"fmt\"\nfunc main(){var a,b int;fmt.Scan(&a,&b);"
          "fmt.Println(a+b)}\n",
    "java": "import java.util.*;\npublic class Main{public static void main(String[] x){"
            "Scanner s=new Scanner(System.in);int a=s.nextInt(),b=s.nextInt();"
            "System.out.println(a+b);}}\n",
    "javascript": "const [a,b]=require('fs').readFileSync(0,'utf8').trim().split(/\\s+/)"
                  ".map(Number);console.log(a+b);\n",
}


def die(msg):
    sys.stderr.write("kafka_tool: %s\n" % msg)
    sys.exit(1)


def opt(args, name, default=None):
    if name in args:
        i = args.index(name)
        if i + 1 >= len(args):
            die("%s needs a value" % name)
        val = args[i + 1]
        del args[i:i + 2]
        return val
    return default


def cmd_gen(args):
    lang = opt(args, "--lang", "python")
    prefix = opt(args, "--prefix", "sub")
    kind = opt(args, "--kind", "ok")
    n = int(args[0])
    for i in range(n):
        a, b = i, 2 * i + 1
        src = SOURCES[lang]
        if kind == "sleep":
            src = "import time\ntime.sleep(2)\n" + src
        rec = {"type": "script", "id": "%s-%d" % (prefix, i), "language": lang,
               "source": src,
               "tests": [{"input": "%d %d\n" % (a, b), "expected_output": "%d\n" % (a + b)}]}
        print(json.dumps(rec))


def cmd_produce(args):
    key_mode = opt(args, "--key-mode", "id")
    partition = opt(args, "--partition")
    topic = args[0]
    p = Producer({"bootstrap.servers": BROKERS, "enable.idempotence": True})
    errors = []

    def dr(err, msg):
        if err is not None:
            errors.append(str(err))
    n = 0
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line:
            continue
        key = None
        if key_mode == "id":
            try:
                key = json.loads(line).get("id")
            except (ValueError, AttributeError):
                key = None
        elif key_mode != "none":
            key = key_mode
        kw = {"value": line.encode(), "on_delivery": dr}
        if key is not None:
            kw["key"] = key.encode()
        if partition is not None:
            kw["partition"] = int(partition)
        p.produce(topic, **kw)
        p.poll(0)
        n += 1
    if p.flush(30) != 0 or errors:
        die("produce failed: %s" % (errors[:3] or "flush timeout"))
    sys.stderr.write("kafka_tool: produced %d record(s) to %s\n" % (n, topic))


def partitions_of(consumer, topic):
    md = consumer.list_topics(topic, timeout=10)
    t = md.topics.get(topic)
    if t is None or t.error is not None:
        die("topic %s: %s" % (topic, t.error if t else "missing"))
    return sorted(t.partitions)


def read_all(topic, stop=None, timeout=10.0):
    """Reads topic from the beginning; returns (records) where each record is
    (key, value, timestamp_ms). Stops when stop(records) is true, at the end
    of every partition (stop None), or at the timeout."""
    c = Consumer({"bootstrap.servers": BROKERS, "group.id": "kafka-tool-%d" % os.getpid(),
                  "enable.auto.commit": False, "enable.partition.eof": True})
    parts = partitions_of(c, topic)
    c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
    recs, eof = [], set()
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = c.poll(0.2)
        if m is None:
            continue
        if m.error():
            if m.error().code() == -191:    # _PARTITION_EOF
                eof.add(m.partition())
                if stop is None and len(eof) == len(parts):
                    break
            continue
        eof.discard(m.partition())
        recs.append((m.key(), m.value(), m.timestamp()[1]))
        if stop is not None and stop(recs):
            break
    c.close()
    return recs


def cmd_collect(args):
    count = int(opt(args, "--count", "1"))
    timeout = float(opt(args, "--timeout", "60"))
    out = opt(args, "--out")
    read_to_end = "--all" in args
    if read_to_end:
        args.remove("--all")
    topic = args[0]
    seen = set()

    def stop(recs):
        key, value, _ = recs[-1]
        try:
            seen.add(json.loads(value)["id"])
        except (ValueError, KeyError, TypeError):
            seen.add(("bad", len(recs)))
        return len(seen) >= count
    recs = read_all(topic, None if read_to_end else stop, timeout)
    if read_to_end:
        for i in range(len(recs)):
            stop(recs[:i + 1])
    lines = []
    for key, value, ts in recs:
        try:
            obj = json.loads(value)
        except ValueError:
            obj = {"_raw": value.decode(errors="replace")}
        obj["_key"] = key.decode(errors="replace") if key is not None else None
        obj["_ts"] = ts
        lines.append(json.dumps(obj, sort_keys=True))
    text = "\n".join(lines) + ("\n" if lines else "")
    if out:
        with open(out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    if len(seen) < count:
        die("collect: %d of %d ids after %.0f s" % (len(seen), count, timeout))


def cmd_committed(args):
    topic, group = args[0], args[1]
    c = Consumer({"bootstrap.servers": BROKERS, "group.id": group,
                  "enable.auto.commit": False})
    parts = partitions_of(c, topic)
    committed = c.committed([TopicPartition(topic, p) for p in parts], timeout=10)
    ok = True
    for tp in committed:
        low, high = c.get_watermark_offsets(TopicPartition(topic, tp.partition), timeout=10)
        print("%d %d %d" % (tp.partition, tp.offset, high))
        if tp.offset != high:
            ok = False
    c.close()
    sys.exit(0 if ok else 1)


def percentile(sorted_vals, q):
    if not sorted_vals:
        return 0
    i = min(len(sorted_vals) - 1, int(round(q * (len(sorted_vals) - 1))))
    return sorted_vals[i]


def cmd_latency(args):
    subs = read_all(args[0])
    results = read_all(args[1])
    sub_ts = {}
    for key, value, ts in subs:
        try:
            sub_ts.setdefault(json.loads(value)["id"], ts)
        except (ValueError, KeyError, TypeError):
            pass
    res_ts = {}
    for key, value, ts in results:
        try:
            res_ts.setdefault(json.loads(value)["id"], ts)
        except (ValueError, KeyError, TypeError):
            pass
    lat = sorted(res_ts[i] - sub_ts[i] for i in res_ts if i in sub_ts)
    if not lat:
        die("latency: no matching submissions and results")
    first = min(sub_ts[i] for i in res_ts if i in sub_ts)
    last = max(res_ts[i] for i in res_ts if i in sub_ts)
    span = max(1, last - first)
    print("answered=%d span_ms=%d throughput_per_min=%.1f p50_ms=%d p95_ms=%d max_ms=%d"
          % (len(lat), span, len(lat) * 60000.0 / span, percentile(lat, 0.5),
             percentile(lat, 0.95), lat[-1]))


def main():
    if len(sys.argv) < 2:
        die(__doc__)
    cmd, args = sys.argv[1], sys.argv[2:]
    fn = {"gen": cmd_gen, "produce": cmd_produce, "collect": cmd_collect,
          "committed": cmd_committed, "latency": cmd_latency}.get(cmd)
    if fn is None:
        die("unknown command %s" % cmd)
    fn(args)


if __name__ == "__main__":
    main()
