#!/bin/bash
# build-images.sh - build the scrc/* Docker images the language profiles name.
#
# Usage: build-images.sh [--force] [--list | --list-setup] [-j N] [IMAGE...]
#
# Reads every $SCRC_LANG_DIR/*.lang (default: lang/ at the top of this
# repository), collects each image named by build.image or run.image that
# starts with "scrc/", together with the Debian packages it needs
# (build.packages for the build image, run.packages for the run image; the
# union when several profiles or both roles name the same image), and
# builds the missing ones from Debian packages:
#
#   mmdebstrap --variant=apt --include=PKGS SUITE - | docker import - TAG
#
# (--variant=minbase without --include when the list is empty; the images get
# a merged /usr, no manual pages, info or translations, but the man1
# directory that some postinst scripts, openjdk's among them, expect to
# exist). Nothing is
# pulled from a registry. Each image carries the label scrc.packages with
# its package list; an image whose label no longer matches the profiles is
# rebuilt. --force rebuilds even up-to-date images. --list only prints
# "IMAGE PKG..." lines (what other scripts read); --list-setup prints
# "IMAGE<TAB>COMMAND" lines, the profiles' image_setup commands run once in
# the image after its packages. IMAGE arguments restrict the work to those
# images.
#
# With SCRC_DOCKER=podman the images go into podman instead; one that the
# Docker engine here already has with the same package list is copied from it
# (docker save | podman load) rather than built again.
#
# Environment: SCRC_DOCKER (docker), SCRC_LANG_DIR, SCRC_DEBIAN_SUITE (bookworm),
# SCRC_DEBIAN_MIRROR and SCRC_DEBIAN_SECURITY (default: the URIs apt on this
# machine uses, else deb.debian.org; SCRC_DEBIAN_SECURITY=none leaves the
# security archive out), SCRC_IMAGE_JOBS (2 builds at once).
# Exit status: 0 when every requested image is present or was built.

set -u
set -o pipefail

prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lang_dir=${SCRC_LANG_DIR:-$root/lang}
suite=${SCRC_DEBIAN_SUITE:-bookworm}
jobs=${SCRC_IMAGE_JOBS:-2}
force=0
list=0

die() {
	echo "$prog: $*" >&2
	exit 1
}

usage() {
	echo "usage: $prog [--force] [--list | --list-setup] [-j N] [IMAGE...]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1 ;;
	--list) list=1 ;;
	--list-setup) list=2 ;;
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift ;;
	-j*) jobs=${1#-j} ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
	shift
done
case $jobs in ''|*[!0-9]*|0) die "bad job count: $jobs" ;; esac

# --- profile parsing ------------------------------------------------------

declare -A pkgs=()	# image -> space separated, sorted, unique packages
declare -A setup=()	# image -> its profiles' image_setup lines, in order, once each

# Split a profile list value into words on blanks, honouring double quotes
# and the \" and \\ escapes inside them; prints one word per line.
split_list() {
	local s=$1 word="" inq=0 have=0 c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		if [ $inq = 1 ]; then
			if [ "$c" = '\' ] && [ $((i + 1)) -lt ${#s} ]; then
				i=$((i + 1)); word+=${s:i:1}
			elif [ "$c" = '"' ]; then
				inq=0
			else
				word+=$c
			fi
		elif [ "$c" = '"' ]; then
			inq=1; have=1
		elif [ "$c" = ' ' ] || [ "$c" = $'\t' ]; then
			[ $have = 1 ] && printf '%s\n' "$word"
			word=""; have=0
		else
			word+=$c; have=1
		fi
	done
	[ $have = 1 ] && printf '%s\n' "$word"
	return 0
}

# Add the packages (a profile list value) to an image's set.
add_image() {
	local image=$1 list=$2
	case $image in scrc/*) ;; *) return 0 ;; esac
	pkgs[$image]=$( { printf '%s\n' ${pkgs[$image]:-}; split_list "$list"; } |
		sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//')
}

# Add a shell line to an image's setup, unless another profile gave it already.
add_setup() {
	local image=$1 line=$2
	case $image in scrc/*) ;; *) return 0 ;; esac
	grep -qxF -- "$line" <<< "${setup[$image]:-}" && return 0
	setup[$image]+="$line"$'\n'
}

parse_profile() {
	local file=$1 line key val s
	local bimage="" rimage="" bpk="" rpk=""
	local -a bsetup=() rsetup=()
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line#"${line%%[![:space:]]*}"}
		case $line in ''|'#'*) continue ;; esac
		case $line in *=*) ;; *) die "$file: not a key = value line: $line" ;; esac
		key=${line%%=*}; val=${line#*=}
		key=${key%"${key##*[![:space:]]}"}
		val=${val#"${val%%[![:space:]]*}"}
		val=${val%"${val##*[![:space:]]}"}
		case $key in
		build.image) bimage=$val ;;
		run.image) rimage=$val ;;
		build.packages) bpk=$val ;;
		run.packages) rpk=$val ;;
		build.image_setup) bsetup+=("$val") ;;
		run.image_setup) rsetup+=("$val") ;;
		esac
	done < "$file"
	[ -n "$rimage" ] || rimage=$bimage
	[ -n "$bimage" ] && add_image "$bimage" "$bpk"
	[ -n "$rimage" ] && add_image "$rimage" "$rpk"
	for s in "${bsetup[@]}"; do add_setup "$bimage" "$s"; done
	for s in "${rsetup[@]}"; do add_setup "$rimage" "$s"; done
	return 0
}

# What an image's label scrc.setup holds: a hash of its setup lines ("" for none).
setup_label() {
	[ -n "${setup[$1]:-}" ] || return 0
	printf '%s' "${setup[$1]}" | sha256sum | cut -c1-16
}

[ -d "$lang_dir" ] || die "no language profile directory: $lang_dir"
shopt -s nullglob
profiles=("$lang_dir"/*.lang)
[ ${#profiles[@]} -gt 0 ] || die "no *.lang profiles in $lang_dir"
for f in "${profiles[@]}"; do
	parse_profile "$f"
done

if [ $# -gt 0 ]; then
	wanted=()
	for img in "$@"; do
		[ -n "${pkgs[$img]+x}" ] || die "$img is not an scrc/ image named by $lang_dir/*.lang"
		wanted+=("$img")
	done
else
	mapfile -t wanted < <(printf '%s\n' "${!pkgs[@]}" | sort)
fi

if [ $list = 1 ]; then
	for img in "${wanted[@]}"; do
		echo "$img${pkgs[$img]:+ ${pkgs[$img]}}"
	done
	exit 0
fi
if [ $list = 2 ]; then
	for img in "${wanted[@]}"; do
		[ -z "${setup[$img]:-}" ] || printf '%s' "${setup[$img]}" | sed "s|^|$img\t|"
	done
	exit 0
fi

# --- building -------------------------------------------------------------

cli=${SCRC_DOCKER:-docker}
command -v "$cli" >/dev/null || die "$cli CLI not found"
command -v mmdebstrap >/dev/null || die "mmdebstrap not found (apt-get install mmdebstrap)"
"$cli" info >/dev/null 2>&1 ||
	die "$cli does not answer (for docker: contrib/docker-ensure.sh start)"
podman=0
"$cli" --version 2>/dev/null | grep -qi '^podman' && podman=1

# First URI among apt's sources whose path ends in the given suffix.
apt_uri() {
	local suffix=$1
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -E '^[[:space:]]*(deb[[:space:]]|URIs:)' |
		grep -oE 'https?://[^[:space:]]+' |
		sed 's,/*$,,' | grep -E "/$suffix\$" | head -n 1
}
mirror=${SCRC_DEBIAN_MIRROR:-$(apt_uri debian)}
mirror=${mirror:-http://deb.debian.org/debian}
security=${SCRC_DEBIAN_SECURITY:-$(apt_uri debian-security)}
security=${security:-http://deb.debian.org/debian-security}
sources=("deb $mirror $suite main" "deb $mirror $suite-updates main")
[ "$security" = none ] || sources+=("deb $security $suite-security main")

logdir=$(mktemp -d /tmp/scrc-images.XXXXXX) || die "mktemp failed"
trap 'rm -rf "$logdir"' EXIT

# Build one image; all output goes to a log file, one result line to stdout.
build_one() {
	local img=$1 list=$2 log=$3 start secs size variant old new hooks
	local -a inc=()
	start=$(date +%s)
	old=$("$cli" image inspect -f '{{.Id}}' "$img" 2>/dev/null)
	# podman: the Docker engine may have it already, built from the same list.
	if [ $podman = 1 ] && [ "$(CLI=docker image_label "$img")" = "$list|$(setup_label "$img")" ] &&
		docker image inspect "$img" >/dev/null 2>&1; then
		if docker save "$img" 2>"$log" | "$cli" load >>"$log" 2>&1; then
			size=$("$cli" image inspect -f '{{.Size}}' "$img" 2>/dev/null)
			echo "$img: copied from docker in $(( $(date +%s) - start ))s, $(( ${size:-0} / 1000000 )) MB"
			return 0
		fi
	fi
	if [ -n "$list" ]; then
		variant=apt
		inc=("--include=${list// /,}")
	else
		variant=minbase
	fi
	# The profiles' setup lines run in the finished tree (packages
	# installed), as root, in order; one that fails fails the image.
	hooks=()
	if [ -n "${setup[$img]:-}" ]; then
		printf 'set -e\n%s' "${setup[$img]}" > "$log.setup"
		hooks=(--customize-hook="upload $log.setup /tmp/scrc-image-setup"
			--customize-hook='chroot "$1" sh -x /tmp/scrc-image-setup'
			--customize-hook='rm -f "$1/tmp/scrc-image-setup"')
	fi
	{
		echo "+ mmdebstrap --variant=$variant ${inc[*]} $suite - ${sources[*]}"
		mmdebstrap --quiet --variant=$variant "${inc[@]}" \
			--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
			--essential-hook='mkdir -p "$1/usr/share/man/man1"' \
			--dpkgopt='path-exclude=/usr/share/man/*' \
			--dpkgopt='path-exclude=/usr/share/info/*' \
			--dpkgopt='path-exclude=/usr/share/locale/*' \
			--dpkgopt='path-exclude=/usr/share/doc/*' \
			--dpkgopt='path-include=/usr/share/doc/*/copyright' \
			"${hooks[@]}" \
			"$suite" - "${sources[@]}" |
			"$cli" import -c "LABEL scrc.packages=\"$list\" scrc.setup=\"$(setup_label "$img")\"" \
			- "$img"
	} > "$log" 2>&1
	local rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc -ne 0 ]; then
		"$cli" image rm -f "$img" >/dev/null 2>&1
		echo "$img: FAILED after ${secs}s (exit $rc); errors and last lines of its log:"
		{ grep -iE '(^|[^a-z])(e|error):' "$log" | head -n 8; tail -n 6 "$log"; } |
			sed 's/^/    /'
		return 1
	fi
	size=$("$cli" image inspect -f '{{.Size}}' "$img" 2>/dev/null)
	new=$("$cli" image inspect -f '{{.Id}}' "$img" 2>/dev/null)
	# The image this one replaces is now untagged: drop it unless in use.
	[ -n "$old" ] && [ "$old" != "$new" ] && "$cli" image rm "$old" >/dev/null 2>&1
	echo "$img: built in ${secs}s, $(( ${size:-0} / 1000000 )) MB"
	return 0
}

# Labels of an existing image as "PACKAGES|SETUP-HASH" (CLI: which engine
# to ask), or a marker when it is absent.
image_label() {
	local out
	if out=$("${CLI:-$cli}" image inspect -f \
		'{{index .Config.Labels "scrc.packages"}}|{{index .Config.Labels "scrc.setup"}}' \
		"$1" 2>/dev/null); then
		# An image from before setup lines has no such label.
		printf '%s\n' "${out/|<no value>/|}"
	else
		echo "<absent>"
	fi
}

todo=()
for img in "${wanted[@]}"; do
	label=$(image_label "$img")
	if [ $force = 0 ] && [ "$label" = "${pkgs[$img]}|$(setup_label "$img")" ]; then
		size=$("$cli" image inspect -f '{{.Size}}' "$img")
		echo "$img: present, $(( size / 1000000 )) MB"
	else
		[ "$label" = "<absent>" ] || [ $force = 1 ] ||
			echo "$img: package list or setup changed ($label -> ${pkgs[$img]}|$(setup_label "$img")), rebuilding"
		todo+=("$img")
	fi
done

failed=0
running=0
i=0
for img in "${todo[@]}"; do
	if [ $running -ge "$jobs" ]; then
		wait -n || failed=1
		running=$((running - 1))
	fi
	echo "$img: building (${pkgs[$img]:-minbase})"
	build_one "$img" "${pkgs[$img]}" "$logdir/$i.log" &
	running=$((running + 1))
	i=$((i + 1))
done
while [ $running -gt 0 ]; do
	wait -n || failed=1
	running=$((running - 1))
done

if [ $failed -ne 0 ]; then
	echo "$prog: some images failed to build" >&2
	exit 1
fi
exit 0
