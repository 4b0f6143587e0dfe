#!/usr/bin/env bats
# infra.bats - the services the integration suites stand on work: every
# scrc/ image the language profiles name runs through the docker CLI steps
# the worker uses (create, cp, start, wait, logs, rm) and holds its
# packages, and the Kafka broker does consumer groups, idempotent producing
# and transactions. Needs a running Docker daemon with the images built
# (contrib/docker-ensure.sh start; contrib/images/build-images.sh) and a
# broker at $KAFKA_BROKERS (contrib/kafka/kafka.sh start).

load helpers

setup() {
	tmp=$(mktemp -d "${BATS_TMPDIR:-/tmp}/scrc-infra.XXXXXX")
}

teardown() {
	[ -n "${cid:-}" ] && docker rm -f "$cid" >/dev/null 2>&1
	rm -rf "$tmp"
}

# The images and their packages, "IMAGE PKG..." per line, from the profiles
# (with --list-setup: their setup commands, "IMAGE<TAB>COMMAND").
image_list() {
	SCRC_LANG_DIR=${SCRC_LANG_DIR:-$(repo_root)/lang} \
		bash "$(repo_root)/contrib/images/build-images.sh" "${1:---list}"
}

@test "the profiles name our images" {
	run image_list
	[ "$status" -eq 0 ]
	# C builds in gcc, C++ in gxx, both run in base; every line is
	# "IMAGE PKG..." naming one of our images, nothing else.
	[[ "$output" == *"scrc/gcc:bookworm gcc"* ]]
	[[ "$output" == *"scrc/gxx:bookworm g++"* ]]
	[[ "$output" == *"scrc/base:bookworm"* ]]
	[[ "$output" == *"scrc/python:bookworm python3-minimal"* ]]
	local img n=0
	while read -r img _; do
		[[ $img == scrc/*:* ]] || { echo "not an image line: $img" >&2; return 1; }
		n=$((n + 1))
	done <<< "$output"
	[ "$n" -ge 20 ]
}

@test "the profiles' image setup commands are listed apart, each under its image" {
	run image_list --list-setup
	[ "$status" -eq 0 ]
	# gxx precompiles <bits/stdc++.h> once per C++ standard; java archives
	# the classes javac and clojure load.
	[ "$(grep -c $'^scrc/gxx:bookworm\t.*stdc++.h' <<< "$output")" -ge 5 ]
	grep -q $'^scrc/java:bookworm\t.*javac.jsa' <<< "$output"
	grep -q $'^scrc/java:bookworm\t.*clojure.jsa' <<< "$output"
	! grep -qv $'^scrc/[^\t]*:[^\t]*\t.' <<< "$output"
}

@test "every profile image runs a copied-in file through create/cp/start/wait/logs/rm" {
	require_docker
	local img pkgs n=0 code logs
	image_list > "$tmp/images"
	printf 'hello from %s\n' "$BATS_TEST_NUMBER" > "$tmp/hello.txt"
	while read -r img pkgs; do
		n=$((n + 1))
		docker image inspect "$img" >/dev/null 2>&1 || {
			echo "image $img is missing: run contrib/images/build-images.sh" >&2
			return 1
		}
		# Print the copied file, then check each package of the image is
		# installed (minbase images have sh and dpkg-query, nothing more).
		cid=$(docker create --network none "$img" /bin/sh -c \
			'cat /tmp/hello.txt && echo "pkgs:" && for p in "$@"; do
				dpkg-query -W -f "\${db:Status-Abbrev}\${Package}\n" "$p" || exit 3
			done' sh $pkgs)
		docker cp "$tmp/hello.txt" "$cid:/tmp/hello.txt"
		docker start "$cid" >/dev/null
		code=$(docker wait "$cid")
		logs=$(docker logs "$cid" 2>&1)
		docker rm "$cid" >/dev/null
		cid=
		if [ "$code" != 0 ]; then
			echo "$img: exit $code, output: $logs" >&2
			return 1
		fi
		[ "$(head -n 1 <<< "$logs")" = "hello from $BATS_TEST_NUMBER" ] || {
			echo "$img: unexpected output: $logs" >&2
			return 1
		}
		for p in $pkgs; do
			grep -qx "ii *$p\(:amd64\)\?" <<< "$logs" || {
				echo "$img: package $p is not installed: $logs" >&2
				return 1
			}
		done
	done < "$tmp/images"
	[ "$n" -ge 1 ]
	# An image whose profiles run setup commands was built with today's
	# commands: its label holds the first 16 hex digits of the SHA-256 of
	# its command lines, each ended by a newline (build-images.sh rebuilds
	# on a mismatch; this recomputes the hash on its own).
	image_list --list-setup > "$tmp/setup"
	cut -f1 "$tmp/setup" | sort -u > "$tmp/setup-images"
	[ -s "$tmp/setup-images" ]
	while read -r img; do
		want=$(awk -F'\t' -v i="$img" '$1 == i { sub(/^[^\t]*\t/, ""); print }' "$tmp/setup" |
			sha256sum | cut -c1-16)
		got=$(docker image inspect -f '{{index .Config.Labels "scrc.setup"}}' "$img")
		[ "$got" = "$want" ] || {
			echo "$img was built with other setup commands (label '$got', today's '$want'): run contrib/images/build-images.sh" >&2
			return 1
		}
	done < "$tmp/setup-images"
}

@test "a non-zero exit and stderr come back through docker wait and logs" {
	require_docker
	cid=$(docker create --network none scrc/base:bookworm /bin/sh -c 'echo oops >&2; exit 7')
	docker start "$cid" >/dev/null
	[ "$(docker wait "$cid")" = 7 ]
	[ "$(docker logs "$cid" 2>&1 >/dev/null)" = oops ]
}

@test "require_kafka fails with a message when no broker answers" {
	KAFKA_BROKERS=127.0.0.1:1 run require_kafka
	[ "$status" -ne 0 ]
	[[ "$output" == *"no Kafka broker answers at 127.0.0.1:1"* ]]
}

@test "require_docker fails with a message when the daemon is unreachable" {
	DOCKER_HOST=unix:///nonexistent/docker.sock run require_docker
	[ "$status" -ne 0 ]
	[[ "$output" == *"Docker daemon does not answer"* ]]
}

@test "a record produced with kcat comes back through a consumer group" {
	require_kafka
	local topic value
	topic=$(unique_topic)
	value="v-$RANDOM-$RANDOM"
	create_topic "$topic" 2
	printf 'k1:%s\n' "$value" | kcat -b "$KAFKA_BROKERS" -P -t "$topic" -K : -p 1
	# librdkafka logs to stderr, which run mixes in: the result is the last line.
	run "$PYTHON" - "$KAFKA_BROKERS" "$topic" <<'EOF'
import sys, time
from confluent_kafka import Consumer, TopicPartition
brokers, topic = sys.argv[1], sys.argv[2]
group = "g-" + topic
c = Consumer({"bootstrap.servers": brokers, "group.id": group,
              "auto.offset.reset": "earliest", "enable.auto.commit": False})
c.subscribe([topic])
deadline = time.time() + 30
msg = None
while time.time() < deadline:
    m = c.poll(0.5)
    if m is None:
        continue
    if m.error():
        sys.exit("consume error: %s" % m.error())
    msg = m
    break
if msg is None:
    sys.exit("nothing consumed in 30 s")
c.commit(message=msg, asynchronous=False)
committed = c.committed([TopicPartition(topic, msg.partition())], timeout=10)
print("key=%s value=%s partition=%d committed=%d" % (
    msg.key().decode(), msg.value().decode(), msg.partition(), committed[0].offset))
c.close()
EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "key=k1 value=$value partition=1 committed=1" ]
}

@test "an idempotent producer delivers every record once, in order" {
	require_kafka
	local topic
	topic=$(unique_topic)
	create_topic "$topic" 1
	# librdkafka logs to stderr, which run mixes in: the result is the last line.
	run "$PYTHON" - "$KAFKA_BROKERS" "$topic" <<'EOF'
import sys, time
from confluent_kafka import Producer, Consumer
brokers, topic = sys.argv[1], sys.argv[2]
errors = []
p = Producer({"bootstrap.servers": brokers, "enable.idempotence": True,
              "acks": "all"})
def report(err, msg):
    if err is not None:
        errors.append(str(err))
for i in range(200):
    p.produce(topic, value=b"%d" % i, on_delivery=report)
if p.flush(30) != 0 or errors:
    sys.exit("delivery failed: %s" % errors[:3])
c = Consumer({"bootstrap.servers": brokers, "group.id": "g-" + topic,
              "auto.offset.reset": "earliest"})
c.subscribe([topic])
got, deadline = [], time.time() + 30
while len(got) < 200 and time.time() < deadline:
    m = c.poll(0.5)
    if m is not None and not m.error():
        got.append(int(m.value()))
# Nothing more may arrive: one more short poll.
m = c.poll(1.0)
if m is not None and not m.error():
    got.append(int(m.value()))
c.close()
print("count=%d ordered=%s" % (len(got), got == list(range(200))))
EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "count=200 ordered=True" ]
}

@test "a transactional producer's commit is read, its abort is not" {
	require_kafka
	local topic
	topic=$(unique_topic)
	create_topic "$topic" 1
	# librdkafka logs to stderr, which run mixes in: the result is the last line.
	run "$PYTHON" - "$KAFKA_BROKERS" "$topic" <<'EOF'
import sys, time
from confluent_kafka import Producer, Consumer
brokers, topic = sys.argv[1], sys.argv[2]
p = Producer({"bootstrap.servers": brokers, "transactional.id": "tx-" + topic})
p.init_transactions(60)
p.begin_transaction()
p.produce(topic, value=b"aborted")
p.flush(30)
p.abort_transaction(30)
p.begin_transaction()
p.produce(topic, value=b"committed-1")
p.produce(topic, value=b"committed-2")
p.commit_transaction(30)
c = Consumer({"bootstrap.servers": brokers, "group.id": "g-" + topic,
              "auto.offset.reset": "earliest",
              "isolation.level": "read_committed"})
c.subscribe([topic])
got, deadline = [], time.time() + 30
while len(got) < 2 and time.time() < deadline:
    m = c.poll(0.5)
    if m is not None and not m.error():
        got.append(m.value().decode())
m = c.poll(1.0)
if m is not None and not m.error():
    got.append(m.value().decode())
c.close()
print(",".join(got))
EOF
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = "committed-1,committed-2" ]
}
