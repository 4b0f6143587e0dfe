#!/bin/bash
# install-deps.sh - install the Debian packages scrc's build and tests need.
#
# Usage: install-deps.sh [PKG...]
#
# Without arguments installs the whole list below; with arguments only those
# packages. Packages already installed are skipped (dpkg-query), so a warm
# run does nothing and needs neither root nor the network; "apt-get update"
# runs once, only when something is missing. Services that packages would
# start (docker.io's dockerd) are not started: a temporary policy-rc.d
# forbids it (there is no systemd here anyway); contrib/docker-ensure.sh
# starts dockerd. Exit status 0 when every package is installed.

set -eu

prog=${0##*/}
all=(
	# build
	autoconf automake libtool pkg-config make gcc libc6-dev
	librdkafka-dev libjsmn-dev libpipeline-dev libcmocka-dev libmicrohttpd-dev
	# integration tests: Docker engine and image building; Podman as the CLI
	bats docker.io mmdebstrap podman
	# integration tests: Kafka broker (fetched by Maven) and clients
	kcat python3 python3-confluent-kafka maven default-jre-headless jq
	# integration tests: metrics scraped by a real Prometheus
	prometheus curl
	# benchmark plots
	python3-matplotlib
	python3-pytest
	docker-compose
	# the Debian package (contrib/deb-test.sh)
	debhelper dpkg-dev lintian
)
if [ $# -gt 0 ]; then
	want=("$@")
else
	want=("${all[@]}")
fi

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "$prog: all ${#want[@]} packages are installed"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "$prog: missing packages: ${missing[*]}" >&2
	echo "$prog: run this script as root to install them" >&2
	exit 1
fi

echo "$prog: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
# Keep maintainer scripts from starting services; only remove a policy file
# we created ourselves.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# written by scrc install-deps.sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	trap 'rm -f "$policy"' EXIT
fi

apt-get update -qq
# One retry: a mirror hiccup should not fail a whole CI run.
if ! apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}"; then
	echo "$prog: apt-get install failed, retrying once" >&2
	sleep 5
	apt-get update -qq
	apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}"
fi

still=()
for p in "${missing[@]}"; do
	dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
		still+=("$p")
done
if [ ${#still[@]} -gt 0 ]; then
	echo "$prog: still not installed: ${still[*]}" >&2
	exit 1
fi
echo "$prog: installed ${#missing[@]} packages"
