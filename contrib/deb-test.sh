#!/usr/bin/env bash
# deb-test.sh - build the Debian package and prove it works once installed.
#
# Usage: contrib/deb-test.sh [-o DIR]
#
# 1. Copies this checkout (the files git tracks or would track, as they are
#    in the working tree) to a scratch directory and runs
#    `dpkg-buildpackage -us -uc -b` there, so that the package's clean step
#    never touches the developer's own build.
# 2. Runs lintian on the result and prints its summary; any error fails.
# 3. Starts a fresh container from the local image scrc/base:bookworm (a
#    bare debootstrapped Debian, nothing of scrc in it) with the host's
#    Docker socket bind-mounted, installs the package there with
#    `apt-get install ./scrc_*.deb` (apt resolves the Depends, docker.io
#    among them, from Debian's mirrors), and judges submissions with the
#    installed /usr/bin/scrc: a right answer must be OK and a wrong one WA.
#    The boxes it starts are siblings on the host's engine; the uid lock
#    directory is the host's, so their uids never collide with those of
#    other judges on the host.
# 4. Prints the .deb size and how long each step took.
#
# -o DIR copies the built .deb files to DIR. Needs root (apt-get inside the
# container, the Docker socket), git, dpkg-dev, debhelper, lintian, docker,
# jq, and the images scrc/base:bookworm and scrc/python:bookworm (make images).
# Environment: SCRC_DEBTEST_IMAGE (scrc/base:bookworm) is the fresh root.
set -euo pipefail

prog=${0##*/}
top=$(cd "$(dirname "$0")/.." && pwd)
image=${SCRC_DEBTEST_IMAGE:-scrc/base:bookworm}
outdir=
while getopts o: opt; do
	case $opt in
	o) outdir=$OPTARG ;;
	*) echo "usage: $prog [-o DIR]" >&2; exit 2 ;;
	esac
done

die() {
	echo "$prog: $*" >&2
	exit 1
}

t_all=$(date +%s)
step() {
	printf '\n--- %s\n' "$1"
	t_step=$(date +%s)
}
step_done() {
	printf -- '--- done in %ss\n' "$(( $(date +%s) - t_step ))"
}

for tool in git dpkg-buildpackage dh lintian docker jq; do
	command -v "$tool" >/dev/null ||
		die "$tool not found (bash contrib/install-deps.sh installs what is missing)"
done
[ -d "$top/debian" ] || die "$top/debian missing: run this from a git checkout"
git -C "$top" rev-parse --git-dir >/dev/null 2>&1 || die "$top is not a git checkout"
docker info >/dev/null 2>&1 || die "the Docker engine does not answer (contrib/docker-ensure.sh start)"
for img in "$image" scrc/python:bookworm; do
	docker image inspect "$img" >/dev/null 2>&1 || die "image $img missing (make images)"
done
host=$(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || true)
host=${DOCKER_HOST:-$host}
case $host in
unix://*) sock=${host#unix://} ;;
*) die "the engine is not on a local unix socket ($host): cannot hand it to the container" ;;
esac

work=$(mktemp -d /tmp/scrc-deb-test.XXXXXX)
ctr=
volume=
cleanup() {
	status=$?
	set +e
	[ -n "$ctr" ] && docker rm -f "$ctr" >/dev/null 2>&1
	# The helper volume the installed scrc made (named by its scrc-box's
	# contents): nobody else runs that binary.
	[ -n "$volume" ] && docker volume rm "$volume" >/dev/null 2>&1
	rm -rf "$work"
	[ "$status" -eq 0 ] || echo "$prog: FAILED" >&2
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "copy of the checkout"
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src="$work/scrc-${version%%-*}"
mkdir "$src"
# Tracked and new files as they are now; deleted ones are skipped, ignored
# build outputs never come along.
git -C "$top" ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do
		[ -e "$top/$f" ] && printf '%s\0' "$f"
	done | tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -
echo "$(find "$src" -type f | wc -l) files in $src"
step_done

step "dpkg-buildpackage -us -uc -b"
if ! (cd "$src" && DEB_BUILD_OPTIONS=parallel=2 dpkg-buildpackage -us -uc -b) \
	>"$work/build.log" 2>&1; then
	tail -60 "$work/build.log"
	die "the package did not build (log above)"
fi
deb=$(ls "$work"/scrc_*.deb)
changes=$(ls "$work"/scrc_*.changes)
step_done

step "lintian"
lintian --display-info --pedantic --show-overrides --tag-display-limit 0 "$changes" \
	>"$work/lintian.log" 2>&1 || true
grep -v '^N:' "$work/lintian.log" | grep -v 'running with root privileges' || true
summary() {
	local tag n
	for tag in E W I P O; do
		n=$(grep -c "^$tag: " "$work/lintian.log" || true)
		printf '%s=%s ' "$tag" "$n"
	done
}
echo "lintian summary: $(summary)(E error, W warning, I info, P pedantic, O overridden)"
grep -q '^E: ' "$work/lintian.log" && die "lintian reports errors"
step_done

size=$(stat -c %s "$deb")
printf '\n%s: %s bytes (%s KiB), installed size %s KiB\n' "${deb##*/}" "$size" \
	"$(( size / 1024 ))" "$(dpkg-deb -f "$deb" Installed-Size)"
if [ -n "$outdir" ]; then
	mkdir -p "$outdir"
	cp "$work"/*.deb "$outdir"/
fi

step "install into a fresh $image container"
mkdir -p "$work/in"
cp "$deb" "$work/in/"
jq -n '{id: "deb-ok", language: "python", source: "print(int(input()) * 2)",
	tests: [{input: "21\n", expected_output: "42\n"}]}' >"$work/in/ok.json"
jq -n '{id: "deb-wa", language: "python", source: "print(41)",
	tests: [{input: "21\n", expected_output: "42\n"}]}' >"$work/in/wa.json"
# The host's uid lock directory (scrc's default SCRC_UID_DIR), shared.
uid_dir=/tmp/scrc-uids
[ -d "$uid_dir" ] || install -d -m 1777 "$uid_dir"
# A socket directory shared at the same path, as an operator would (README):
# the engine mounts each box's socket from there.
sock_dir=$work/sockets
install -d -m 0700 "$sock_dir"
ctr="scrc-debtest-$$-$RANDOM"
docker run -d --name "$ctr" --label scrc.debtest=1 --network host \
	-v "$sock:/var/run/docker.sock" -v "$uid_dir:$uid_dir" -v "$work/in:/in:ro" \
	-v "$sock_dir:$sock_dir" \
	"$image" sleep 3600 >/dev/null
in_ctr() {
	docker exec -i "$ctr" "$@"
}
# No service starts inside the container (docker.io's dockerd among them).
in_ctr sh -c 'printf "#!/bin/sh\nexit 101\n" >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
if ! in_ctr sh -c 'apt-get update -qq && cd /in &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-o Dpkg::Use-Pty=0 ./scrc_*.deb' >"$work/apt.log" 2>&1; then
	tail -40 "$work/apt.log"
	die "apt-get install ./scrc_*.deb failed in the container"
fi
in_ctr dpkg-query -W -f '${Package} ${Version} ${Status}\n' scrc docker.io
step_done

step "the installed package"
# Paths are the installed ones, the conffile is one, the unit is in place.
in_ctr scrc --version
in_ctr sh -c 'set -a && . /etc/scrc/scrc.env && set +a && scrc --check-config' \
	>"$work/check.log" 2>&1 || { cat "$work/check.log"; die "scrc --check-config failed"; }
grep -qx 'SCRC_LANG_DIR=/usr/share/scrc/lang' "$work/check.log" ||
	die "installed scrc does not use /usr/share/scrc/lang: $(grep SCRC_LANG_DIR "$work/check.log")"
grep -qx 'SCRC_BOX=/usr/libexec/scrc/scrc-box' "$work/check.log" ||
	die "installed scrc does not use /usr/libexec/scrc/scrc-box"
grep -q '^docker: answers' "$work/check.log" || die "docker does not answer the installed scrc"
in_ctr dpkg-query -W -f '${Conffiles}\n' scrc | grep -q '/etc/scrc/scrc.env' ||
	die "/etc/scrc/scrc.env is not a conffile"
in_ctr test -f /lib/systemd/system/scrc.service || die "no systemd unit"
in_ctr grep -qx 'ExecStart=/usr/bin/scrc worker' /lib/systemd/system/scrc.service ||
	die "the unit does not start /usr/bin/scrc"
echo "paths, conffile and unit as packaged"
step_done

step "judge with the installed scrc"
volume=scrc-box-$(in_ctr cat /usr/libexec/scrc/scrc-box | "${PYTHON:-/usr/bin/python3}" -c '
import sys
h = 14695981039346656037
for b in sys.stdin.buffer.read():
    h = ((h ^ b) * 1099511628211) & 0xffffffffffffffff
print("%016x" % h)')
# OK through the shared socket directory; WA with the default one, which the
# host's engine cannot see from here: scrc says so and attaches its boxes.
for want in OK WA; do
	f=$(echo "$want" | tr A-Z a-z).json
	dir=
	[ "$want" = OK ] && dir=$sock_dir
	in_ctr env SCRC_SOCKET_DIR="$dir" scrc run "/in/$f" >"$work/$f.out" 2>"$work/$f.err" ||
		{ cat "$work/$f.err"; die "scrc run $f failed"; }
	got=$(jq -r .status "$work/$f.out")
	printf '%s: %s (%s)\n' "$f" "$got" "$(jq -c '[.tests[] | .status]' "$work/$f.out")"
	[ "$got" = "$want" ] || { cat "$work/$f.out" "$work/$f.err"; die "$f: expected $want, got $got"; }
	if [ "$want" = OK ]; then
		! grep -q 'the engine cannot see' "$work/$f.err" ||
			die "the shared socket directory was not used: $(cat "$work/$f.err")"
	else
		grep -q 'the engine cannot see /tmp/scrc-sockets-0' "$work/$f.err" ||
			die "no word that the boxes were attached instead: $(cat "$work/$f.err")"
	fi
done
step_done

printf '\n%s: the package builds, is lintian clean of errors, installs into a fresh root and judges (%ss)\n' \
	"$prog" "$(( $(date +%s) - t_all ))"
