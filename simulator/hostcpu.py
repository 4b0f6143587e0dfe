"""CPU and memory of the judge's processes, read from /proc.

A judge spends CPU in places that no single process accounts for: the
worker and the docker CLI processes it starts, dockerd and containerd, and
one containerd-shim per container, which runs runc and then the container's
own processes (the judged program among them). A shim detaches from
containerd, so when it exits it is reaped by init and its CPU, with that of
everything it reaped, lands in init's cutime/cstime. Summing "live processes
of a tree (their own plus their reaped children's CPU)" and "what init
reaped" therefore counts every tick once, whether the process is still
running at the second snapshot or not; a difference of two snapshots is
the CPU spent in between.

Everything here takes a `root` (default /proc) so the arithmetic can be
checked against fake snapshots.
"""

import os
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

DAEMONS = ("dockerd", "containerd")
# comm is cut to 15 characters: "containerd-shim-runc-v2" reads "containerd-shim".
SHIM_PREFIX = "containerd-shim"
# Who reaps a shim once it exits (shims are re-parented to init).
REAPER = 1


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    comm: str
    own: int          # utime + stime, ticks
    reaped: int       # cutime + cstime: children waited for, ticks
    rss: int          # resident pages


def parse_stat(text):
    """A Proc from the text of /proc/PID/stat (comm may hold spaces and ')')."""
    head, _, tail = text.rpartition(")")
    pid_s, _, comm = head.partition(" (")
    f = tail.split()
    # f[0] is field 3 (state) of proc(5): ppid 4, utime 14 .. cstime 17, rss 24.
    return Proc(int(pid_s), int(f[1]), comm, int(f[11]) + int(f[12]),
                int(f[13]) + int(f[14]), int(f[21]))


def read_procs(root="/proc"):
    """Every process readable now, by pid; one that exits meanwhile is left out."""
    out = {}
    for name in os.listdir(root):
        if not name.isdigit():
            continue
        try:
            with open(os.path.join(root, name, "stat")) as fh:
                p = parse_stat(fh.read())
        except (OSError, ValueError, IndexError):
            continue
        out[p.pid] = p
    return out


def subtree(procs, roots):
    """The pids of `roots` and all their live descendants."""
    children = {}
    for p in procs.values():
        children.setdefault(p.ppid, []).append(p.pid)
    seen, todo = set(), [r for r in roots if r in procs]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        todo.extend(children.get(pid, ()))
    return seen


def tree_ticks(procs, roots):
    """CPU ticks of the trees under `roots`, the reaped part included; trees
    that overlap (containerd under dockerd) are counted once."""
    return sum(procs[pid].own + procs[pid].reaped for pid in subtree(procs, roots))


def tree_rss(procs, roots):
    """Resident bytes of the trees under `roots` now."""
    return sum(procs[pid].rss for pid in subtree(procs, roots)) * PAGE


def named(procs, names=(), prefix=None):
    return [p.pid for p in procs.values()
            if p.comm in names or (prefix is not None and p.comm.startswith(prefix))]


def host_busy_ticks(root="/proc"):
    """All CPU time of the machine but idle and iowait, ticks."""
    with open(os.path.join(root, "stat")) as fh:
        v = [int(x) for x in fh.readline().split()[1:]]
    return sum(v) - v[3] - v[4]


def snapshot(worker_pids, root="/proc"):
    """CPU ticks so far of the worker's tree, the docker daemons, the
    containers (live shims and what they run, plus what init reaped) and the
    whole host. With no worker pids (a worker started elsewhere) "worker" is None."""
    procs = read_procs(root)
    reaper = procs.get(REAPER)
    return {
        "worker": tree_ticks(procs, worker_pids) if worker_pids else None,
        "daemons": tree_ticks(procs, named(procs, DAEMONS)),
        "containers": tree_ticks(procs, named(procs, prefix=SHIM_PREFIX))
                      + (reaper.reaped if reaper else 0),
        "host": host_busy_ticks(root),
    }


def cpu_split(before, after, answered, program_ms, tick=TICK):
    """Per-submission CPU in ms between two snapshots over `answered` results
    whose programs reported `program_ms` of their own CPU in total. The judge
    overhead is everything the worker, daemons and containers spent minus
    that; "host_less_programs" is the same from the whole machine's busy time
    (an upper bound: it includes every other process running meanwhile)."""
    if answered <= 0:
        return None

    def per_sub(key):
        if before.get(key) is None or after.get(key) is None:
            return None
        return (after[key] - before[key]) * 1000.0 / tick / answered

    out = {k: per_sub(k) for k in ("worker", "daemons", "containers", "host")}
    programs = program_ms / answered
    out["programs"] = programs
    parts = [out[k] for k in ("worker", "daemons", "containers")]
    out["overhead"] = None if None in parts else sum(parts) - programs
    out["host_less_programs"] = out["host"] - programs
    return out


def pss_bytes(pid, root="/proc", fallback_pages=0):
    """Proportional set size of a process: its resident pages, each shared
    page divided among the processes that map it (/proc/PID/smaps_rollup).
    Ten docker CLI processes hold one copy of the docker binary's pages, which
    an RSS sum counts ten times. Without smaps_rollup: fallback_pages, whole."""
    try:
        with open(os.path.join(root, str(pid), "smaps_rollup")) as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return fallback_pages * PAGE


def tree_pss(procs, roots, root="/proc"):
    """Proportional set size of the trees under `roots` now, bytes."""
    return sum(pss_bytes(pid, root, procs[pid].rss) for pid in subtree(procs, roots))


class RssPeak:
    """Peak resident memory of the worker process(es) and of their trees
    (RSS, and PSS for the trees), sampled: a child that lives shorter than
    the interval may be missed."""

    def __init__(self, pids, root="/proc"):
        self.pids = list(pids)
        self.root = root
        self.worker = 0
        self.tree = 0
        self.tree_pss = 0

    def sample(self):
        procs = read_procs(self.root)
        own = sum(procs[p].rss for p in self.pids if p in procs) * PAGE
        self.worker = max(self.worker, own)
        self.tree = max(self.tree, tree_rss(procs, self.pids))
        self.tree_pss = max(self.tree_pss, tree_pss(procs, self.pids, self.root))
