#!/bin/bash
# kafka.sh - a throw-away single-node Apache Kafka broker for the tests.
#
# Usage: kafka.sh fetch | start | stop | status | topic-create NAME [PARTITIONS]
#
#   fetch         get the broker's jars from Maven Central (pom.xml beside this
#                 script pins the version) into $SCRC_KAFKA_HOME/lib-VERSION;
#                 start does this by itself when they are missing.
#   start         format a fresh KRaft log directory (a new temp dir on every
#                 start) and run the broker (broker+controller, node 1) in the
#                 background on 127.0.0.1:$KAFKA_PORT; waits until it answers
#                 metadata requests (kcat -L), 90 s at most. Does nothing when
#                 a broker already answers on that port.
#   stop          SIGTERM the broker this script started on that port, SIGKILL
#                 after 30 s, and delete its data directory.
#   status        exit 0 when a broker answers on the port, 1 otherwise.
#   topic-create  create topic NAME (PARTITIONS, default 1, replication 1);
#                 an existing topic is not an error. Talks to $KAFKA_BROKERS
#                 when set, else to 127.0.0.1:$KAFKA_PORT.
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT + 1),
# SCRC_KAFKA_HOME (/var/cache/scrc-kafka: jars and per-port state),
# KAFKA_HEAP (512m), JAVA (Java 17 from /usr/lib/jvm, else java on PATH),
# PYTHON (/usr/bin/python3).
# Needs: mvn, a Java >= 17, kcat, python3 with confluent_kafka (topic-create).

set -u

prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
port=${KAFKA_PORT:-9092}
cport=${KAFKA_CONTROLLER_PORT:-$((port + 1))}
home=${SCRC_KAFKA_HOME:-/var/cache/scrc-kafka}
heap=${KAFKA_HEAP:-512m}
state=$home/run/$port		# per-port: pid, data dir, config, log
bootstrap=127.0.0.1:$port
# Debian's python3 has confluent_kafka; a pyenv python3 first on PATH may not.
python=${PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=python3

die() {
	echo "$prog: $*" >&2
	exit 1
}

version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")
[ -n "$version" ] || die "cannot read kafka.version from $here/pom.xml"
lib=$home/lib-$version

find_java() {
	local j
	for j in "${JAVA:-}" /usr/lib/jvm/java-17-openjdk-amd64/bin/java "$(command -v java)"; do
		[ -n "$j" ] && [ -x "$j" ] && { echo "$j"; return 0; }
	done
	return 1
}

answers() {
	kcat -b "$bootstrap" -L -m 3 >/dev/null 2>&1
}

# The pid of the broker we started on this port, if it still runs.
our_pid() {
	local pid
	pid=$(cat "$state/pid" 2>/dev/null) || return 1
	[ -n "$pid" ] && tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" |
		grep -q 'kafka\.Kafka' || return 1
	echo "$pid"
}

do_fetch() {
	[ -f "$lib/kafka_2.13-$version.jar" ] && return 0
	command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
	mkdir -p "$home" || die "cannot create $home"
	local tmp start
	tmp=$(mktemp -d "$home/lib.XXXXXX") || die "mktemp failed"
	start=$(date +%s)
	echo "$prog: fetching Apache Kafka $version with Maven..."
	# Offline first: a warm ~/.m2 needs no network at all.
	if ! mvn -o -q -B -f "$here/pom.xml" dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory="$tmp" >/dev/null 2>&1 &&
	   ! mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.log" 2>&1; then
		tail -n 20 "$tmp.log" >&2
		rm -rf "$tmp" "$tmp.log"
		die "Maven could not fetch Kafka $version"
	fi
	rm -f "$tmp.log"
	[ -f "$tmp/kafka_2.13-$version.jar" ] || { rm -rf "$tmp"; die "Maven gave no kafka jar"; }
	# Another fetch may have finished meanwhile: keep the first one.
	mv -T "$tmp" "$lib" 2>/dev/null || rm -rf "$tmp"
	echo "$prog: fetched $(ls "$lib" | wc -l) jars in $(( $(date +%s) - start ))s"
}

write_config() {
	local data=$1
	cat > "$data/server.properties" <<EOF
# Written by $prog: one node that is both broker and controller (KRaft).
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/logs
num.partitions=1
default.replication.factor=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
	cat > "$data/log4j2.properties" <<EOF
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = warn
logger.apache.name = org.apache.kafka
logger.apache.level = warn
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
EOF
}

do_start() {
	local java pid data cid start i
	if answers; then
		pid=$(our_pid) && echo "$prog: broker already running at $bootstrap (pid $pid)" ||
			echo "$prog: a broker already answers at $bootstrap (not started by $prog)"
		return 0
	fi
	command -v kcat >/dev/null || die "kcat not found (apt-get install kcat)"
	java=$(find_java) || die "no Java found (apt-get install default-jre-headless)"
	"$java" -version 2>&1 | head -n 1 | grep -qE '"(1[7-9]|[2-9][0-9])[."]' ||
		die "Kafka $version needs Java 17 or newer: $java is $("$java" -version 2>&1 | head -n 1)"
	do_fetch
	# A broker of ours that died (or was killed with the session) leaves state.
	if pid=$(our_pid); then
		die "broker pid $pid runs but does not answer at $bootstrap; try $prog stop"
	fi
	if [ -f "$state/datadir" ]; then
		rm -rf "$(cat "$state/datadir")"
	fi
	rm -rf "$state"
	mkdir -p "$state" || die "cannot create $state"
	data=$(mktemp -d /tmp/scrc-kafka-$port.XXXXXX) || die "mktemp failed"
	echo "$data" > "$state/datadir"
	write_config "$data"
	# A cluster id is 16 random bytes, url-safe base64 without padding.
	cid=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c 1-22)
	if ! "$java" -cp "$lib/*" -Dlog4j2.configurationFile="$data/log4j2.properties" \
		kafka.tools.StorageTool format -t "$cid" -c "$data/server.properties" \
		> "$data/format.log" 2>&1; then
		cat "$data/format.log" >&2
		die "formatting the KRaft storage failed"
	fi
	start=$(date +%s)
	setsid nohup "$java" -Xms128m -Xmx"$heap" -XX:+UseG1GC -Djava.awt.headless=true \
		-Dlog4j2.configurationFile="$data/log4j2.properties" \
		-cp "$lib/*" kafka.Kafka "$data/server.properties" \
		> "$data/server.log" 2>&1 < /dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	pid=$!
	echo "$pid" > "$state/pid"
	for ((i = 0; i < 180; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 30 "$data/server.log" >&2
			die "the broker exited during start-up (log: $data/server.log)"
		fi
		if answers; then
			echo "$prog: Kafka $version answers at $bootstrap after" \
				"$(( $(date +%s) - start ))s (pid $pid, data $data)"
			return 0
		fi
		sleep 0.5
	done
	tail -n 30 "$data/server.log" >&2
	do_stop >/dev/null 2>&1
	die "the broker did not answer at $bootstrap within 90 s"
}

do_stop() {
	local pid i data
	if pid=$(our_pid); then
		kill -TERM "$pid" 2>/dev/null
		for ((i = 0; i < 60; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "$prog: broker pid $pid ignored SIGTERM for 30 s, killing it" >&2
			kill -KILL "$pid" 2>/dev/null
			sleep 0.5
		fi
		echo "$prog: stopped broker pid $pid at $bootstrap"
	else
		echo "$prog: no broker of ours runs at $bootstrap"
	fi
	if [ -f "$state/datadir" ]; then
		data=$(cat "$state/datadir")
		case $data in /tmp/scrc-kafka-*) rm -rf "$data" ;; esac
	fi
	rm -rf "$state"
	return 0
}

do_status() {
	local pid
	if answers; then
		pid=$(our_pid) && pid=" (pid $pid, started by $prog)" || pid=""
		echo "$prog: Kafka answers at $bootstrap$pid"
		return 0
	fi
	echo "$prog: no Kafka answers at $bootstrap"
	return 1
}

do_topic_create() {
	local name=${1:-} parts=${2:-1}
	[ -n "$name" ] || die "usage: $prog topic-create NAME [PARTITIONS]"
	case $parts in ''|*[!0-9]*|0) die "bad partition count: $parts" ;; esac
	"$python" - "${KAFKA_BROKERS:-$bootstrap}" "$name" "$parts" <<'EOF'
import sys
import time
from confluent_kafka.admin import AdminClient, NewTopic
from confluent_kafka import KafkaError, KafkaException

bootstrap, name, parts = sys.argv[1], sys.argv[2], int(sys.argv[3])
admin = AdminClient({"bootstrap.servers": bootstrap})
fut = admin.create_topics([NewTopic(name, num_partitions=parts,
                                    replication_factor=1)],
                          operation_timeout=30, request_timeout=30)[name]
try:
    fut.result(timeout=40)
except KafkaException as e:
    if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
        sys.exit("kafka.sh: cannot create topic %s: %s" % (name, e))
# Wait until every partition has a leader, so producers can use it at once.
for _ in range(100):
    md = admin.list_topics(topic=name, timeout=10).topics.get(name)
    if md and md.error is None and md.partitions and \
       all(p.leader >= 0 for p in md.partitions.values()):
        break
    time.sleep(0.1)
else:
    sys.exit("kafka.sh: topic %s has no leader after 10 s" % name)
if len(md.partitions) != parts:
    sys.exit("kafka.sh: topic %s exists with %d partitions, not %d"
             % (name, len(md.partitions), parts))
EOF
}

case ${1:-} in
fetch) do_fetch ;;
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
topic-create) shift; do_topic_create "$@" ;;
*) echo "usage: $prog fetch|start|stop|status|topic-create NAME [PARTITIONS]" >&2; exit 2 ;;
esac
