#!/bin/bash
# build-images.sh - build every image contrib/docker-compose.yml runs, on a
# machine with no image registry: nothing is pulled.
#
# Usage: build-images.sh [IMAGE...]     (IMAGE: base, kafka, scrc, simulator)
#
#   base       $DEBIAN_IMAGE (scrc/base:bookworm): a Debian bookworm made by
#              mmdebstrap | docker import (contrib/images/build-images.sh),
#              built only when missing; apt works in it, from the mirror apt
#              on this machine uses, so the Dockerfiles below install their
#              packages the ordinary way.
#   kafka      $KAFKA_IMAGE (scrc/kafka:local): Debian's Java 17 and the
#              broker jars contrib/kafka/kafka.sh fetches from Maven Central
#              (into /var/cache/scrc-kafka), from contrib/compose/kafka/.
#   scrc       $SCRC_IMAGE (scrc:local), from contrib/Dockerfile and this tree.
#   simulator  $SIMULATOR_IMAGE (scrc-simulator:local), contrib/Dockerfile.simulator.
#
# Without arguments, all four, in that order. The last three are built
# every time; Docker's layer cache makes that quick when nothing changed,
# and an image is never older than the tree it is tested from. The names
# are those the compose file defaults to; the same variables override both.
# Each image prints one line: its build time and size.
#
# Environment: DEBIAN_IMAGE, KAFKA_IMAGE, SCRC_IMAGE, SIMULATOR_IMAGE,
# SCRC_BUILD_FLAGS (more `docker build` flags, e.g. --no-cache), and what
# contrib/images/build-images.sh and contrib/kafka/kafka.sh read.
# Exit status: 0 when every requested image was built or present.

set -u
set -o pipefail

prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
base=${DEBIAN_IMAGE:-scrc/base:bookworm}
kafka=${KAFKA_IMAGE:-scrc/kafka:local}
scrc=${SCRC_IMAGE:-scrc:local}
simulator=${SIMULATOR_IMAGE:-scrc-simulator:local}
read -r -a flags <<< "${SCRC_BUILD_FLAGS:-}"
ctx=""
trap 'rm -rf "$ctx"' EXIT

die() {
	echo "$prog: $*" >&2
	exit 1
}

command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 ||
	die "the Docker engine does not answer (contrib/docker-ensure.sh start)"

# docker build, its output in a log shown only on failure; one summary line.
build() {
	local tag=$1 start log size old new
	shift
	start=$(date +%s)
	old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null)
	log=$(mktemp /tmp/scrc-compose-build.XXXXXX) || die "mktemp failed"
	if ! docker build ${flags[@]+"${flags[@]}"} --build-arg DEBIAN_IMAGE="$base" \
		-t "$tag" "$@" > "$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -f "$log"
		die "building $tag failed"
	fi
	rm -f "$log"
	size=$(docker image inspect -f '{{.Size}}' "$tag")
	new=$(docker image inspect -f '{{.Id}}' "$tag")
	# The image this one replaces is now untagged: drop it unless in use.
	[ -n "$old" ] && [ "$old" != "$new" ] && docker image rm "$old" >/dev/null 2>&1
	echo "$prog: $tag: built in $(( $(date +%s) - start ))s, $(( size / 1000000 )) MB"
}

build_base() {
	case $base in
	scrc/*) bash "$top/contrib/images/build-images.sh" "$base" ||
		die "cannot build $base" ;;
	*) docker image inspect "$base" >/dev/null 2>&1 ||
		die "$base is not here, and only scrc/* bases are built by this script" ;;
	esac
}

build_kafka() {
	local version lib
	version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' \
		"$top/contrib/kafka/pom.xml")
	[ -n "$version" ] || die "cannot read kafka.version from contrib/kafka/pom.xml"
	bash "$top/contrib/kafka/kafka.sh" fetch || die "cannot fetch the Kafka jars"
	lib=${SCRC_KAFKA_HOME:-/var/cache/scrc-kafka}/lib-$version
	# The context: this directory's files and the jars (hard links when
	# they share a file system).
	ctx=$(mktemp -d /tmp/scrc-kafka-image.XXXXXX) || die "mktemp failed"
	cp -p "$here/kafka/"* "$ctx/" &&
		{ cp -rl "$lib" "$ctx/lib" 2>/dev/null || cp -r "$lib" "$ctx/lib"; } ||
		die "cannot assemble the Kafka image's context"
	build "$kafka" --build-arg KAFKA_VERSION="$version" "$ctx"
	rm -rf "$ctx"
	ctx=""
}

[ $# -gt 0 ] || set -- base kafka scrc simulator
for what in "$@"; do
	case $what in
	base) build_base ;;
	kafka) build_kafka ;;
	scrc)
		build "$scrc" -f "$top/contrib/Dockerfile" "$top"
		# Keep the newest build stage (the next build's cache), not the others.
		docker image ls -q -f dangling=true -f label=scrc.stage=build | tail -n +2 |
			xargs -r docker image rm >/dev/null 2>&1
		;;
	simulator) build "$simulator" -f "$top/contrib/Dockerfile.simulator" "$top" ;;
	*) die "unknown image $what (base, kafka, scrc, simulator)" ;;
	esac
done
exit 0
