#!/usr/bin/env bash
# compose-test.sh - CI's check that contrib/docker-compose.yml really runs:
# the images it names built here (contrib/compose/build-images.sh), then
#
#   1. single-runner + load-generator: one scrc replica judges the
#      simulator's matrix and problems for $COMPOSE_SINGLE_LANGUAGES; the
#      simulator must exit 0 (every verdict right, none missing or
#      conflicting) and every result must name that replica;
#   2. multi-runner --scale scrc=3 + load-generator: once the consumer group
#      has spread the partitions of `scripts` over three replicas, the
#      simulator sends $COMPOSE_MULTI_ITERATIONS batches of the matrix for
#      $COMPOSE_MULTI_LANGUAGES; it must exit 0, and the results topic
#      (read with kcat inside the Kafka container) must hold every id of
#      the run, judged by our three replicas, each a share, with no
#      duplicate of a conflicting verdict (contrib/compose/check-results.py);
#
# then `down -v`, on success as on failure (a trap), and checks that
# nothing of the project is left: no container, volume or network, no
# judge container of its runners, no scrc-box volume they created.
#
# Usage: contrib/compose-test.sh
# Environment: COMPOSE (the compose command; default docker-compose when it
# is installed, else `docker compose`), COMPOSE_SINGLE_LANGUAGES,
# COMPOSE_MULTI_LANGUAGES, COMPOSE_MULTI_ITERATIONS (2),
# COMPOSE_TEST_TIMEOUT (seconds each simulator run may take, 900),
# RUNNER_MAX_PARALLEL (2), PYTHON (/usr/bin/python3), and what
# contrib/compose/build-images.sh reads. The runners need the language
# images (`make images`): a missing one fails the test.
# Exit status: 0 when both runs passed and the teardown left nothing.
set -euo pipefail

prog=${0##*/}
top=$(cd "$(dirname "$0")/.." && pwd)
file=$top/contrib/docker-compose.yml
PYTHON=${PYTHON:-/usr/bin/python3}
# The single runner judges a language of every image `make images` builds
# (simulator/tests/test_compose.py checks that none is left out): 25 of the
# 50 languages, about 5 minutes here; the whole matrix has been judged by a
# host worker just before (test-all.sh). The three runners get quick
# languages only: six judges at once share two cores.
single_langs=${COMPOSE_SINGLE_LANGUAGES:-c,cpp,python,java,javascript,go,ruby,bash,perl,lua,php,pypy,pascal,rust,ocaml,fortran,clang,csharp,haskell,erlang,racket,r,crystal,tcl,sed}
multi_langs=${COMPOSE_MULTI_LANGUAGES:-c,python,bash,lua,perl,awk,ruby,javascript}
multi_iterations=${COMPOSE_MULTI_ITERATIONS:-2}
timeout_s=${COMPOSE_TEST_TIMEOUT:-900}
project=scrc-ci-$$
t0=$(date +%s)

die() {
	echo "$prog: FAIL: $*" >&2
	exit 1
}
say() {
	echo "$prog: [$(( $(date +%s) - t0 ))s] $*"
}

# --- what must be here ----------------------------------------------------

if [ -n "${COMPOSE:-}" ]; then
	read -r -a compose <<< "$COMPOSE"
elif command -v docker-compose >/dev/null; then
	compose=(docker-compose)
elif docker compose version >/dev/null 2>&1; then
	compose=(docker compose)
else
	die "no compose: neither docker-compose (apt-get install docker-compose) nor docker compose"
fi
"${compose[@]}" version >/dev/null 2>&1 || die "${compose[*]} does not run"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer"
[ -x "$PYTHON" ] || die "no $PYTHON"

missing=()
while read -r img _; do
	docker image inspect "$img" >/dev/null 2>&1 || missing+=("$img")
done < <(bash "$top/contrib/images/build-images.sh" --list)
[ ${#missing[@]} -eq 0 ] ||
	die "language images missing (make images): ${missing[*]}"

say "building the compose images"
bash "$top/contrib/compose/build-images.sh"
box_volume=scrc-box-$(docker run --rm --entrypoint cat "${SCRC_IMAGE:-scrc:local}" \
	/usr/local/libexec/scrc/scrc-box | "$PYTHON" -c '
import sys
h = 14695981039346656037
for b in sys.stdin.buffer.read():
    h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
print("%016x" % h)') || die "cannot read scrc-box from the scrc image"
box_volume_was_here=0
docker volume inspect "$box_volume" >/dev/null 2>&1 && box_volume_was_here=1

# A free loopback port for Kafka's host listener: CI's own broker may hold 29092's
# neighbours, and another run of this test 29092 itself.
KAFKA_HOST_PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export KAFKA_HOST_PORT
export RUNNER_MAX_PARALLEL=${RUNNER_MAX_PARALLEL:-2}
# The uid lease directory the runners share with every scrc of the host.
mkdir -p /tmp/scrc-uids && chmod 1777 /tmp/scrc-uids

dc() {
	"${compose[@]}" -p "$project" -f "$file" --profile single-runner \
		--profile multi-runner --profile load-generator "$@"
}
# Names ("HOSTNAME=NAME" lines) of the project's running scrc replicas.
runners() {
	local id
	for id in $(dc ps -q scrc); do
		docker inspect -f '{{.Config.Hostname}}={{.Name}}' "$id" | sed 's,=/,=,'
	done
}

all_runners=()
teardown() {
	local status=$? left host mounted v
	set +e
	trap - EXIT INT TERM
	if [ "$status" -ne 0 ]; then
		echo "$prog: last lines of every service's log:"
		dc logs --no-color --tail 25 2>&1 | sed 's/^/    /'
	fi
	say "tearing down project $project"
	# Anonymous volumes (Kafka's data) carry no project label: note them first.
	mounted=$(docker ps -aq --filter "label=com.docker.compose.project=$project" |
		xargs -r docker inspect \
		-f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}')
	dc down -v --remove-orphans -t 60 >/dev/null 2>&1 ||
		{ echo "$prog: compose down failed" >&2; status=1; }
	left=$(docker ps -aq --filter "label=com.docker.compose.project=$project"
		docker volume ls -q --filter "label=com.docker.compose.project=$project"
		docker network ls -q --filter "label=com.docker.compose.project=$project"
		for v in $mounted; do docker volume inspect -f '{{.Name}}' "$v" 2>/dev/null; done)
	if [ -n "$left" ]; then
		echo "$prog: FAIL: left behind by down -v:" $left >&2
		status=1
	fi
	# Judge boxes carry their judge's "HOSTNAME/PID": those of our runners'
	# hostnames are ours; a runner stopped in time removes them itself.
	for host in "${all_runners[@]%%=*}"; do
		left=$(docker ps -aq --filter label=scrc=1 | xargs -r docker inspect \
			-f '{{.Id}} {{index .Config.Labels "scrc.owner"}}' |
			awk -v h="$host" 'index($2, h "/") == 1 { print $1 }')
		if [ -n "$left" ]; then
			echo "$prog: FAIL: judge containers of runner $host left behind" >&2
			docker rm -f $left >/dev/null
			status=1
		fi
	done
	if [ "$box_volume_was_here" = 0 ]; then
		docker volume rm "$box_volume" >/dev/null 2>&1
		# scrc's marker that the volume was filled (src/DESIGN.md) goes with it.
		rm -f /tmp/scrc-uids/"$box_volume".*.ok
	fi
	say "done, exit $status"
	exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT TERM

# Waits for the project's simulator container to exit; prints its output,
# fails unless it exited 0. Also fails when a runner stopped meanwhile.
wait_simulator() {
	local what=$1 id state deadline=$(( $(date +%s) + timeout_s ))
	id=$(dc ps -a -q simulator)
	[ -n "$id" ] || die "$what: no simulator container"
	while :; do
		state=$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$id")
		case $state in exited*) break ;; esac
		[ "$(date +%s)" -lt "$deadline" ] ||
			die "$what: the simulator still runs after ${timeout_s}s"
		if [ "$(dc ps -q scrc | wc -l)" -lt "$2" ]; then
			die "$what: a runner is gone"
		fi
		sleep 5
	done
	docker logs "$id" 2>&1 | grep -v '^\[[0-9]*/[0-9]*\] ' || true
	[ "${state#exited }" = 0 ] || die "$what: the simulator exited ${state#exited }"
	# "simulator: run ID: N programs ..." and "simulator: produced N, ..."
	sim_run=$(docker logs "$id" 2>&1 | sed -n 's/^simulator: run \([0-9a-f]*\):.*/\1/p' | tail -n 1)
	sim_produced=$(docker logs "$id" 2>&1 | sed -n 's/^simulator: produced \([0-9]*\),.*/\1/p' | tail -n 1)
	[ -n "$sim_run" ] && [ -n "$sim_produced" ] ||
		die "$what: cannot read the run id and count from the simulator's output"
}

# The results of the run, each runner's share, nothing conflicting.
check_results() {
	local what=$1 min=$2 args=() r
	shift 2
	for r in "$@"; do args+=(--worker "$r"); done
	say "$what: results of run $sim_run by runner"
	dc exec -T kafka kcat -C -b localhost:9092 -t script-results -o beginning -e -q \
		-f '%s\n' | "$PYTHON" "$top/contrib/compose/check-results.py" \
		--run "$sim_run" --expect "$sim_produced" --min-share "$min" "${args[@]}" ||
		die "$what: the results do not add up"
}

# --- 1. one runner, the matrix and the problems ---------------------------

say "1. single-runner + load-generator ($single_langs)"
SIMULATOR_LANGUAGES=$single_langs SIMULATOR_TABLES=all SCRIPT_ITERATIONS=1 \
	"${compose[@]}" -p "$project" -f "$file" --profile single-runner \
	--profile load-generator up -d
mapfile -t all_runners < <(runners)
[ ${#all_runners[@]} -eq 1 ] || die "1: ${#all_runners[@]} runners, expected 1"
wait_simulator 1 1
check_results 1 "$sim_produced" "${all_runners[@]}"

# --- 2. three runners sharing the partitions ------------------------------

say "2. multi-runner --scale scrc=3"
"${compose[@]}" -p "$project" -f "$file" --profile multi-runner up -d --scale scrc=3 scrc
mapfile -t all_runners < <(runners)
[ ${#all_runners[@]} -eq 3 ] || die "2: ${#all_runners[@]} runners, expected 3"
# The group must have settled with three members that each hold partitions
# before the load starts, or the first one could take every record.
deadline=$(( $(date +%s) + 120 ))
while :; do
	members=$(dc exec -T kafka kafka-consumer-groups.sh --bootstrap-server localhost:9092 \
		--describe --group scrc-runner --members 2>/dev/null |
		awk '$1 == "scrc-runner" && $NF + 0 > 0' | wc -l)
	[ "$members" -eq 3 ] && break
	[ "$(date +%s)" -lt "$deadline" ] ||
		die "2: the group scrc-runner has $members members with partitions after 120 s"
	sleep 2
done
dc exec -T kafka kafka-consumer-groups.sh --bootstrap-server localhost:9092 \
	--describe --group scrc-runner --members --verbose 2>/dev/null | sed 's/^/    /'
say "2. load-generator: $multi_iterations x the matrix of $multi_langs"
SIMULATOR_LANGUAGES=$multi_langs SIMULATOR_TABLES=matrix SCRIPT_ITERATIONS=$multi_iterations \
	"${compose[@]}" -p "$project" -f "$file" --profile multi-runner \
	--profile load-generator up -d simulator
wait_simulator 2 3
check_results 2 1 "${all_runners[@]}"
say "PASS"
