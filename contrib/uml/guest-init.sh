#!/bin/bash
# guest-init.sh - PID 1 of the user-mode-Linux guest that guest.sh boots.
#
# It gives the guest what a cgroup v2 Docker host has (proc, sysfs, devtmpfs,
# devpts, tmpfs on /run /tmp /dev/shm, the unified cgroup2 hierarchy on
# /sys/fs/cgroup, mqueue on /dev/mqueue, the overlay module), mounts the
# Docker disk (second ubd disk) on /var/lib/docker and the host's job
# directory (hostfs) on /mnt/h, starts dockerd, runs /mnt/h/job.sh, writes
# its exit status to /mnt/h/job.rc and powers the guest off. Everything the
# job prints goes to /mnt/h/job.log; what this script does goes to the
# console, which guest.sh keeps in a log file on the host.
#
# The kernel hands unknown "name=value" arguments of its command line to
# init as environment variables: guest.sh passes scrc_job=HOSTDIR.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8

say() {
	printf 'scrc-uml-init: %s\n' "$*"
}

# Whatever happens from here on, the guest must end with a power-off:
# an init that exits makes the kernel panic and the host wait for nothing.
power_off() {
	set +e
	if [ -n "${dockerd_pid:-}" ]; then
		kill -TERM "$dockerd_pid" 2>/dev/null
		for _ in $(seq 1 100); do
			kill -0 "$dockerd_pid" 2>/dev/null || break
			sleep 0.2
		done
	fi
	sync
	mountpoint -q /var/lib/docker && umount /var/lib/docker
	mountpoint -q /mnt/h && umount /mnt/h
	sync
	say "power off"
	echo o > /proc/sysrq-trigger
	sleep 60
}
trap power_off EXIT

mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /dev/mqueue
mountpoint -q /dev/pts || mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
# The only cgroup hierarchy of this kernel: the unified one (cgroup v2).
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
mkdir -p /run/lock /var/lib/docker /mnt/h
ln -sf /proc/self/fd /dev/fd
hostname scrc-uml
ip link set lo up
modprobe overlay
say "kernel $(uname -r), cgroup controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"

[ -n "${scrc_job:-}" ] || { say "no scrc_job= on the kernel command line"; exit 1; }
mount -t hostfs -o "$scrc_job" hostfs /mnt/h
[ -b /dev/ubdb ] || { say "no Docker disk (ubd1)"; exit 1; }
mount -o noatime /dev/ubdb /var/lib/docker

say "starting dockerd"
dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=overlay2 \
	--exec-opt native.cgroupdriver=cgroupfs --log-level=warn \
	>/run/dockerd.log 2>&1 </dev/null &
dockerd_pid=$!
t0=$SECONDS
until docker info >/dev/null 2>&1; do
	if ! kill -0 "$dockerd_pid" 2>/dev/null || [ $((SECONDS - t0)) -gt 180 ]; then
		say "dockerd did not answer; its log:"
		tail -n 30 /run/dockerd.log
		cp /run/dockerd.log /mnt/h/dockerd.log || true
		exit 1
	fi
	sleep 0.5
done
say "dockerd answers after $((SECONDS - t0)) s: $(docker info -f \
	'cgroup v{{.CgroupVersion}}, driver {{.CgroupDriver}}, storage {{.Driver}}')"

rc=0
(cd /mnt/h && exec bash /mnt/h/job.sh) >/mnt/h/job.log 2>&1 </dev/null || rc=$?
echo "$rc" > /mnt/h/job.rc
cp /run/dockerd.log /mnt/h/dockerd.log || true
say "job exited $rc"
