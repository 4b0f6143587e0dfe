#!/usr/bin/env bash
# guest.sh - a cgroup v2 Docker host for scrc's tests, as a user-mode-Linux
# guest on a machine that has cgroup v1 (whose hierarchies belong to the
# machine's init and are never touched here).
#
# Usage: guest.sh build            build (or find) the cached guest disks
#        guest.sh run DIR          boot the guest on DIR: it runs DIR/job.sh
#                                  as root on a cgroup v2 Docker engine that
#                                  has the scrc images; DIR is the guest's
#                                  /mnt/h (hostfs), job.log and job.rc come back
#        guest.sh ci               judge scrc's cgroup v2 cases inside the guest
#                                  (ci-job.sh) and print "N passed, M failed"
#        guest.sh clean            remove the cache
#
# Two disks, both cached in $SCRC_UML_CACHE and keyed by hashes of what they
# are made of, so each is made again only when that changes:
#   root-KEY.img    Debian (mmdebstrap) with docker.io, the UML kernel's modules
#                   and guest-init.sh as /sbin/scrc-uml-init; KEY hashes the
#                   package list, the suite, the kernel package, guest-init.sh
#                   and this script;
#   docker-KEY.img  a /var/lib/docker into which the guest has `docker load`ed
#                   the images (docker save on the host); KEY hashes docker.io's
#                   version in the root and the images' ids.
# Every boot writes to copy-on-write files of its own (UML's ubd COW), so the
# cached disks never change after they are made and a killed guest spoils
# nothing. The guest runs in a network namespace of its own (unshare -n), has
# no network, and is killed when it outlives its time.
#
# Environment:
#   SCRC_UML_CACHE     the cache directory (/var/cache/scrc-uml)
#   SCRC_UML_MEM       the guest's memory (2048M)
#   SCRC_UML_MEMDIR    a tmpfs for the file backing it (/dev/shm)
#   SCRC_UML_TIMEOUT   seconds one boot may take before it is killed (900;
#                      a boot that loads the images gets 1200)
#   SCRC_UML_IMAGES    the images the guest gets (scrc/base:bookworm
#                      scrc/gcc:bookworm scrc/python:bookworm)
#   SCRC, SCRC_BOX, SCRC_LANG_DIR   the binaries and profiles `ci` takes into
#                      the guest (default: those of the tree above this script)
#   SCRC_DEBIAN_SUITE (bookworm), SCRC_DEBIAN_MIRROR (deb.debian.org or the
#                      host's apt mirror), SCRC_DEBIAN_SECURITY (none: left out)
#   SCRC_UML_KEEP=1    keep the job directory of `ci` (its path is printed)
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${SCRC_UML_CACHE:-/var/cache/scrc-uml}
mem=${SCRC_UML_MEM:-2048M}
timeout_s=${SCRC_UML_TIMEOUT:-900}
suite=${SCRC_DEBIAN_SUITE:-bookworm}
uml_suite=${SCRC_UML_SUITE:-forky}
read -r -a images <<< "${SCRC_UML_IMAGES:-scrc/base:bookworm scrc/gcc:bookworm scrc/python:bookworm}"
# What the guest needs besides Debian's essential set: a Docker engine and
# client, the tools guest-init.sh calls, and scrc's shared libraries (scrc is
# built on the host and linked dynamically; scrc-box is static).
guest_packages=(docker.io mount kmod procps iproute2 util-linux jq librdkafka1 libpipeline1 libmicrohttpd12)
# Sizes of the sparse disk files (only what is written takes room).
root_size=3G
docker_size=6G

# Paths removed, and the guest killed, by on_exit on every way out.
tmp_paths=()
guest_pid=
guest_umid=
uml_linux=
uml_modules=
root_img=
docker_img=

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

say() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

usage() {
	sed -n 's/^# Usage: /usage: /p; s/^#        /       /p' "$0" | sed '/^       *$/d' | head -n 8 >&2
	exit 2
}

# --- the guest process ---------------------------------------------------

# The host pids of the guest: linux.uml and every process it forked, which
# all carry its command line and so our unique umid= argument.
guest_pids() {
	local p cmd
	[ -n "$guest_umid" ] || return 0
	for p in /proc/[0-9]*; do
		cmd=$(tr '\0' ' ' < "$p/cmdline" 2>/dev/null) || continue
		case $cmd in
		*" umid=$guest_umid "*) echo "${p#/proc/}" ;;
		esac
	done
}

kill_guest() {
	local pids i
	[ -n "$guest_umid" ] || return 0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		pids=$(guest_pids)
		[ -n "$pids" ] || break
		# shellcheck disable=SC2086
		kill -KILL $pids 2>/dev/null || true
		sleep 0.5
	done
	if [ -n "$guest_pid" ]; then
		wait "$guest_pid" 2>/dev/null || true
	fi
	pids=$(guest_pids)
	[ -z "$pids" ] || say "guest processes still alive after SIGKILL: $pids"
	guest_pid=
	guest_umid=
}

on_exit() {
	local rc=$?
	set +e
	kill_guest
	for p in "${tmp_paths[@]}"; do
		rm -rf -- "$p"
	done
	exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- host tools ----------------------------------------------------------

need_tools() {
	local missing=() p
	command -v patchelf >/dev/null || missing+=(patchelf)
	command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
	command -v mkfs.ext4 >/dev/null || missing+=(e2fsprogs)
	command -v unshare >/dev/null || missing+=(util-linux)
	command -v jq >/dev/null || missing+=(jq)
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	bash "$top/contrib/install-deps.sh" "${missing[@]}" >&2 ||
		die "cannot install ${missing[*]}"
	for p in patchelf mmdebstrap mkfs.ext4 unshare jq; do
		command -v "$p" >/dev/null || die "$p still missing"
	done
}

# Sets uml_linux and uml_modules (DIR/VERSION) to the guest kernel and its
# modules. Debian bookworm's user-mode-linux (6.1) and trixie's (6.12) die
# at their first user process on hosts whose XSAVE area is larger than they
# know (AVX-512, AMX: "ptrace set fp regs failed, errno = 14"); the kernel of
# Debian's $uml_suite sizes it from the host. Its package and that suite's C
# library are fetched with apt-get download (a private apt state: the host's
# own is left alone), unpacked into the cache, and linux.uml is pointed at
# that C library with patchelf. SCRC_UML_LINUX and SCRC_UML_MODULES name
# another kernel instead.
ensure_kernel() {
	local dir=$cache/kernel work d
	if [ -n "${SCRC_UML_LINUX:-}" ]; then
		uml_linux=$SCRC_UML_LINUX
		uml_modules=${SCRC_UML_MODULES:?must name the modules directory of SCRC_UML_LINUX}
		return 0
	fi
	if [ ! -f "$dir/version" ]; then
		say "fetching user-mode-linux and libc6 of Debian $uml_suite"
		work=$(mktemp -d "$cache/kernel.XXXXXX")
		tmp_paths+=("$work")
		mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" \
			"$work/debs" "$work/x" "$work/kernel/lib"
		echo "deb ${SCRC_DEBIAN_MIRROR:-http://deb.debian.org/debian} $uml_suite main" \
			> "$work/apt/sources.list"
		local -a apt=(-o "Dir::Etc::SourceList=$work/apt/sources.list"
			-o Dir::Etc::SourceParts=/nonexistent -o "Dir::State::Lists=$work/apt/lists"
			-o "Dir::Cache=$work/apt/cache" -o APT::Sandbox::User=root)
		apt-get "${apt[@]}" update -qq >&2 || die "apt-get update ($uml_suite) failed"
		(cd "$work/debs" && apt-get "${apt[@]}" download -qq \
			"user-mode-linux/$uml_suite" "libc6/$uml_suite") >&2 ||
			die "apt-get download user-mode-linux libc6 ($uml_suite) failed"
		for d in "$work"/debs/*.deb; do
			dpkg-deb -x "$d" "$work/x"
		done
		cp "$work/x/usr/bin/linux.uml" "$work/kernel/linux.uml"
		cp -L "$work/x/usr/lib64/ld-linux-x86-64.so.2" \
			"$work/x/usr/lib/x86_64-linux-gnu/libc.so.6" "$work/kernel/lib/"
		cp -a "$work/x/usr/lib/uml/modules" "$work/kernel/modules"
		dpkg-deb -f "$work"/debs/user-mode-linux_*.deb Version > "$work/kernel/version"
		rm -rf "$dir"
		mv "$work/kernel" "$dir"
		patchelf --set-interpreter "$dir/lib/ld-linux-x86-64.so.2" --set-rpath "$dir/lib" \
			"$dir/linux.uml"
		rm -rf "$work"
	fi
	uml_linux=$dir/linux.uml
	for d in "$dir"/modules/*/; do
		[ -f "$d/modules.dep" ] && uml_modules=${d%/}
	done
	[ -n "${uml_modules:-}" ] || die "no modules.dep under $dir/modules"
}

# The first URI among apt's sources whose path ends in /SUFFIX.
apt_mirror() {
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -E '^[[:space:]]*(deb[[:space:]]|URIs:)' |
		grep -oE 'https?://[^[:space:]]+' | sed 's,/*$,,' |
		grep -E "/$1\$" | head -n 1 || true
}

lock_cache() {
	mkdir -p "$cache"
	exec 8> "$cache/lock"
	if ! flock -n 8; then
		say "waiting for another guest.sh that holds $cache/lock"
		flock -w 3600 8 || die "$cache/lock stays locked"
	fi
}

# --- the root disk -------------------------------------------------------

root_key() {
	{
		printf 'suite %s\npackages %s\nsizes %s\n' "$suite" "${guest_packages[*]}" "$root_size"
		echo "kernel $uml_linux $(cat "$(dirname "$uml_linux")/version" 2>/dev/null || true)"
		echo "modules $uml_modules"
		cat "$here/guest-init.sh" "$here/guest.sh"
	} | sha256sum | cut -c1-16
}

# Sets root_img to the root disk, building it first when needed.
ensure_root() {
	local key img work mirror security t0
	local -a sources
	key=$(root_key)
	img=$cache/root-$key.img
	root_img=$img
	if [ -f "$img" ] && [ -f "$img.docker-version" ]; then
		return 0
	fi
	t0=$SECONDS
	mirror=${SCRC_DEBIAN_MIRROR:-$(apt_mirror debian)}
	mirror=${mirror:-http://deb.debian.org/debian}
	security=${SCRC_DEBIAN_SECURITY:-none}
	sources=("deb $mirror $suite main" "deb $mirror $suite-updates main")
	[ "$security" = none ] || sources+=("deb $security $suite-security main")
	work=$(mktemp -d "$cache/build.XXXXXX")
	tmp_paths+=("$work")
	say "building the root disk $img (mmdebstrap $suite: ${guest_packages[*]})"
	mmdebstrap --quiet --variant=apt --include="$(IFS=,; echo "${guest_packages[*]}")" \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--dpkgopt='path-exclude=/usr/share/info/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		"$suite" "$work/root" "${sources[@]}" > "$work/mmdebstrap.log" 2>&1 ||
		{ tail -n 30 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed"; }
	# /lib is /usr/lib in a merged-/usr root: one path fits both.
	mkdir -p "$work/root/lib/modules"
	cp -a "$uml_modules" "$work/root/lib/modules/"
	install -m 0755 "$here/guest-init.sh" "$work/root/sbin/scrc-uml-init"
	# No fstab, no getty: guest-init.sh is the whole boot.
	: > "$work/root/etc/fstab"
	echo scrc-uml > "$work/root/etc/hostname"
	dpkg-query --admindir="$work/root/var/lib/dpkg" -W -f '${Version}\n' docker.io \
		> "$work/docker-version"
	truncate -s "$root_size" "$work/root.img"
	mkfs.ext4 -q -F -L scrc-uml-root -d "$work/root" "$work/root.img" ||
		die "mkfs.ext4 of the root disk failed"
	# Older roots go: only the newest is ever used.
	rm -f "$cache"/root-*.img "$cache"/root-*.img.docker-version
	mv "$work/docker-version" "$img.docker-version"
	mv "$work/root.img" "$img"
	rm -rf "$work"
	say "root disk built in $((SECONDS - t0)) s"
}

# --- the Docker disk -----------------------------------------------------

# The id of each image, in order; dies when the host's engine lacks one.
image_ids() {
	local i id
	docker info >/dev/null 2>&1 ||
		die "the host's Docker engine does not answer (contrib/docker-ensure.sh start)"
	for i in "${images[@]}"; do
		id=$(docker image inspect -f '{{.Id}}' "$i" 2>/dev/null) ||
			die "the host's Docker engine has no image $i (make images)"
		echo "$i $id"
	done
}

docker_key() {
	{
		echo "docker.io $(cat "$1.docker-version")"
		echo "size $docker_size"
		image_ids
	} | sha256sum | cut -c1-16
}

# Sets docker_img to the Docker disk for the root disk root_img, loading
# the images into a new one in a guest first when needed.
ensure_docker() {
	local root=$root_img key disk work t0 i n=0 rc
	key=$(docker_key "$root")
	disk=$cache/docker-$key.img
	docker_img=$disk
	if [ -f "$disk" ]; then
		return 0
	fi
	t0=$SECONDS
	work=$(mktemp -d "$cache/load.XXXXXX")
	tmp_paths+=("$work")
	mkdir "$work/job" "$work/job/images"
	say "saving ${images[*]} from the host's Docker engine"
	for i in "${images[@]}"; do
		n=$((n + 1))
		docker save -o "$work/job/images/$n.tar" "$i" || die "docker save $i failed"
	done
	truncate -s "$docker_size" "$work/docker.img"
	mkfs.ext4 -q -F -L scrc-uml-docker "$work/docker.img"
	cat > "$work/job/job.sh" <<'EOF'
# Written by guest.sh: load the saved images into the guest's engine.
set -euo pipefail
for t in /mnt/h/images/*.tar; do
	s=$SECONDS
	docker load -q -i "$t"
	echo "$t: $((SECONDS - s)) s"
done
docker image ls
EOF
	say "loading them in the guest (about 20 s per 75 MB under UML)"
	rc=0
	boot "$work/job" "$root" "$work/docker.img" rw "${SCRC_UML_TIMEOUT:-1200}" || rc=$?
	if [ "$rc" -ne 0 ]; then
		sed 's/^/    /' "$work/job/job.log" >&2 2>/dev/null || true
		die "loading the images in the guest failed"
	fi
	sed 's/^/    /' "$work/job/job.log" >&2
	rm -f "$cache"/docker-*.img
	mv "$work/docker.img" "$disk"
	rm -rf "$work"
	say "Docker disk made in $((SECONDS - t0)) s"
}

# --- booting -------------------------------------------------------------

# boot DIR ROOT DOCKER MODE TIMEOUT: boots the guest on job directory DIR
# (which holds job.sh) with the root disk and the Docker disk, the latter
# written in place (MODE rw) or through a throw-away COW file (MODE cow).
# Returns 0 when the guest powered off by itself and job.rc says 0; the
# guest's console is in DIR/console.log.
boot() {
	local dir=$1 root=$2 disk=$3 mode=$4 limit=$5 run t0 rc ubd1 memdir timed_out=0
	dir=$(cd "$dir" && pwd)
	[ -f "$dir/job.sh" ] || die "$dir/job.sh: no such file"
	rm -f "$dir/job.rc" "$dir/job.log"
	run=$(mktemp -d /tmp/scrc-uml-run.XXXXXX)
	tmp_paths+=("$run")
	if [ "$mode" = cow ]; then
		ubd1=$run/docker.cow,$disk
	else
		ubd1=$disk
	fi
	guest_umid=scrc-uml-$$-$RANDOM
	memdir=${SCRC_UML_MEMDIR:-/dev/shm}
	[ "$(stat -fc %T "$memdir" 2>/dev/null)" = tmpfs ] || memdir=$run
	t0=$SECONDS
	# Its own session (so nothing of ours signals it by accident) and its
	# own network namespace: nothing the guest does reaches the host's
	# network, docker0 included. UML's memory is a file it makes (and
	# unlinks at once) in TMPDIR: on a disk-backed /tmp each first touch of
	# a guest page allocates a disk block, ~50 ms per MiB; on tmpfs ~10 ms.
	TMPDIR=$memdir setsid unshare --net -- "$uml_linux" \
		"ubd0=$run/root.cow,$root" "ubd1=$ubd1" root=/dev/ubda rw \
		"mem=$mem" init=/sbin/scrc-uml-init con=null ssl=null con0=fd:0,fd:1 \
		"umid=$guest_umid" "uml_dir=$run" "scrc_job=$dir" \
		< /dev/null > "$dir/console.log" 2>&1 &
	guest_pid=$!
	while kill -0 "$guest_pid" 2>/dev/null; do
		if [ $((SECONDS - t0)) -ge "$limit" ]; then
			timed_out=1
			say "the guest ran for ${limit} s: killing it"
			break
		fi
		sleep 1
	done
	rc=0
	if [ "$timed_out" = 0 ]; then
		wait "$guest_pid" || rc=$?
		guest_pid=
	fi
	# Whatever it left (it should leave nothing after a power-off).
	kill_guest
	rm -rf "$run"
	say "guest ran $((SECONDS - t0)) s (linux.uml exit $rc)"
	[ "$timed_out" = 0 ] || { tail -n 20 "$dir/console.log" >&2; return 1; }
	if [ ! -f "$dir/job.rc" ]; then
		say "the guest ended without finishing its job; end of its console:"
		tail -n 30 "$dir/console.log" >&2
		return 1
	fi
	[ "$(cat "$dir/job.rc")" = 0 ]
}

# --- commands ------------------------------------------------------------

cmd_build() {
	need_tools
	lock_cache
	ensure_kernel
	ensure_root
	ensure_docker
	echo "$root_img"
	echo "$docker_img"
}

cmd_run() {
	local rc=0
	need_tools
	lock_cache
	ensure_kernel
	ensure_root
	ensure_docker
	boot "$1" "$root_img" "$docker_img" cow "$timeout_s" || rc=$?
	[ ! -f "$1/job.log" ] || tail -n 40 "$1/job.log" >&2
	return "$rc"
}

cmd_ci() {
	local scrc=${SCRC:-$top/scrc} box=${SCRC_BOX:-$top/scrc-box}
	local langs=${SCRC_LANG_DIR:-$top/lang} job rc=0 t0=$SECONDS summary
	[ -x "$scrc" ] || die "no scrc binary at $scrc (make, or set SCRC)"
	[ -f "$box" ] || die "no scrc-box at $box (make, or set SCRC_BOX)"
	[ -f "$langs/seccomp.json" ] || die "no seccomp.json in $langs (set SCRC_LANG_DIR)"
	need_tools
	lock_cache
	ensure_kernel
	ensure_root
	ensure_docker
	say "cold part done in $((SECONDS - t0)) s"
	job=$(mktemp -d /tmp/scrc-uml-job.XXXXXX)
	[ "${SCRC_UML_KEEP:-0}" = 1 ] && say "job directory: $job" || tmp_paths+=("$job")
	mkdir "$job/bin"
	cp "$scrc" "$box" "$job/bin/"
	[ "$(basename "$scrc")" = scrc ] || mv "$job/bin/$(basename "$scrc")" "$job/bin/scrc"
	[ "$(basename "$box")" = scrc-box ] || mv "$job/bin/$(basename "$box")" "$job/bin/scrc-box"
	cp -r "$langs" "$job/lang"
	cp -r "$top/bats/programs" "$job/programs"
	cp "$here/ci-job.sh" "$job/job.sh"
	boot "$job" "$root_img" "$docker_img" cow "$timeout_s" || rc=$?
	if [ -f "$job/job.log" ]; then
		cat "$job/job.log"
	else
		say "no job.log came back from the guest"
	fi
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$job/job.log" 2>/dev/null | tail -n 1 || true)
	say "ci: $((SECONDS - t0)) s in all"
	if [ -z "$summary" ]; then
		say "ci: the job printed no summary line"
		return 1
	fi
	[ "$rc" = 0 ] || { say "ci: the guest's job failed (exit $(cat "$job/job.rc" 2>/dev/null || echo none))"; return 1; }
	case $summary in
	*" 0 failed") return 0 ;;
	*) return 1 ;;
	esac
}

cmd_clean() {
	lock_cache
	rm -rf "${cache:?}"/root-* "$cache"/docker-* "$cache"/build.* "$cache"/load.* \
		"$cache"/kernel "$cache"/kernel.*
	say "removed the cached disks in $cache"
}

[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap, mkfs and the guest's Docker engine need it)"
case ${1:-} in
build) [ $# = 1 ] || usage; cmd_build ;;
run) [ $# = 2 ] || usage; cmd_run "$2" ;;
ci) [ $# = 1 ] || usage; cmd_ci ;;
clean) [ $# = 1 ] || usage; cmd_clean ;;
*) usage ;;
esac
