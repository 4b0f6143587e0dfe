#!/bin/bash
# docker-ensure.sh - make sure a Docker daemon answers, starting one if needed.
#
# Usage: docker-ensure.sh [start|stop|status]   (default: start)
#
#   start   nothing to do when "docker info" answers. Otherwise, as root:
#           install docker.io when dockerd is missing, remove a stale
#           /var/run/docker.pid (a killed dockerd leaves it behind and the
#           next one refuses to start), run dockerd in the background
#           (log: /var/log/scrc-dockerd.log), wait up to 60 s until it
#           answers, and note in /run/scrc/dockerd.started that we started it.
#   stop    stop the daemon only if this script started it.
#   status  exit 0 when the daemon answers, 1 otherwise.
#
# Images survive in /var/lib/docker across restarts.
#
# Environment (for running a second, private daemon in tests; the defaults
# are the system's): SCRC_DOCKERD_PIDFILE (/var/run/docker.pid),
# SCRC_DOCKERD_LOG (/var/log/scrc-dockerd.log), SCRC_DOCKERD_STATE (/run/scrc),
# SCRC_DOCKERD_FLAGS (extra dockerd flags, split on blanks), DOCKER_HOST.

set -u

prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)
statedir=${SCRC_DOCKERD_STATE:-/run/scrc}
started=$statedir/dockerd.started
pidfile=${SCRC_DOCKERD_PIDFILE:-/var/run/docker.pid}
log=${SCRC_DOCKERD_LOG:-/var/log/scrc-dockerd.log}

die() {
	echo "$prog: $*" >&2
	exit 1
}

answers() {
	docker info >/dev/null 2>&1
}

# Is PID a running dockerd?
is_dockerd() {
	[ -n "${1:-}" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = dockerd ]
}

do_start() {
	local pid i
	if answers; then
		echo "$prog: the Docker daemon already answers"
		return 0
	fi
	[ "$(id -u)" = 0 ] ||
		die "the Docker daemon does not answer and only root can start it" \
			"(run: sudo $0 start)"
	command -v docker >/dev/null && command -v dockerd >/dev/null ||
		bash "$here/install-deps.sh" docker.io || die "cannot install docker.io"
	pid=$(cat "$pidfile" 2>/dev/null)
	if is_dockerd "$pid"; then
		echo "$prog: dockerd pid $pid runs but does not answer yet; waiting"
	else
		[ -e "$pidfile" ] && echo "$prog: removing stale $pidfile (pid ${pid:-?})"
		rm -f "$pidfile"
		mkdir -p "$statedir" "$(dirname "$log")"
		echo "--- $(date -u '+%F %T') started by $prog" >> "$log"
		# shellcheck disable=SC2086
		setsid nohup dockerd --pidfile "$pidfile" ${SCRC_DOCKERD_FLAGS:-} \
			>> "$log" 2>&1 < /dev/null &
		pid=$!
		echo "$pid" > "$started"
	fi
	for ((i = 0; i < 120; i++)); do
		if answers; then
			echo "$prog: the Docker daemon answers (dockerd pid $pid)"
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 20 "$log" >&2
			rm -f "$started"
			die "dockerd exited during start-up (log: $log)"
		fi
		sleep 0.5
	done
	tail -n 20 "$log" >&2
	die "dockerd (pid $pid) did not answer within 60 s (log: $log)"
}

do_stop() {
	local pid i
	pid=$(cat "$started" 2>/dev/null)
	if ! is_dockerd "$pid"; then
		rm -f "$started"
		echo "$prog: no dockerd started by $prog runs; leaving any other alone"
		return 0
	fi
	kill -TERM "$pid"
	for ((i = 0; i < 60; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "$prog: dockerd pid $pid ignored SIGTERM for 30 s, killing it" >&2
		kill -KILL "$pid"
		sleep 0.5
		rm -f "$pidfile"
	fi
	rm -f "$started"
	echo "$prog: stopped dockerd pid $pid"
}

do_status() {
	local pid ours=""
	pid=$(cat "$started" 2>/dev/null)
	is_dockerd "$pid" && ours=" (dockerd pid $pid, started by $prog)"
	if answers; then
		echo "$prog: the Docker daemon answers, server" \
			"$(docker version -f '{{.Server.Version}}' 2>/dev/null)$ours"
		return 0
	fi
	echo "$prog: the Docker daemon does not answer$ours"
	return 1
}

case ${1:-start} in
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
*) echo "usage: $prog [start|stop|status]" >&2; exit 2 ;;
esac
