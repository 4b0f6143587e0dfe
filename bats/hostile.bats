#!/usr/bin/env bats
# hostile.bats - programs that attack the sandbox, judged by `scrc run`
# through the real Docker engine: fork and thread bombs, output flood, disk
# fill, memory bomb spread over processes, orphans that outlive the program, network
# access, writes outside the work directory, root, compile-time bombs and
# bytes that are not text. Each is contained, answered with a verdict
# quickly, and leaves no container or process behind.
#
# Needs $SCRC, $SCRC_BOX, $SCRC_LANG_DIR (make check-integration sets them),
# a Docker daemon and the scrc/ images. Programs: bats/programs/hostile/.

load helpers

# The limits of every run here unless a test says otherwise.
LIMITS='{limits: {time_limit_ms: 1000, memory_limit_bytes: 67108864}}'

setup_file() {
	need_env
	# Every submission id of this file starts with this: the containers
	# it creates are found by their scrc.submission label.
	export HOSTILE_ID=hostile-bats-$(date +%s)-$$
	reuse_start
}

teardown_file() {
	reuse_stop
}

setup() {
	need_env
	H=$(repo_root)/bats/programs/hostile
	T=$BATS_TEST_TMPDIR
	ID=$HOSTILE_ID-$BATS_TEST_NUMBER
}

@test "fork bomb (C) is contained by the pids limit, and the next submission is judged normally" {
	make_sub "$T/bomb.json" c "$H/forkbomb.c"
	judge "$T/bomb.json"
	expect "$T/bomb.json" '(.status == "TL" or .status == "RE") and .duration_ms <= 3500'
	# wall limit 3 s + container start/stop + build
	faster_than 15000
	no_containers_left
	make_sub "$T/next.json" c "$(repo_root)/bats/programs/c/ok.c" \
		'{tests: [{input: "2 3\n", expected_output: "5\n"}, {input: "10 20\n", expected_output: "30\n"}]}'
	judge "$T/next.json"
	expect "$T/next.json" '.status == "OK" and [.tests[].status] == ["OK", "OK"]'
	no_containers_left
}

@test "fork bomb (python) is contained" {
	make_sub "$T/pybomb.json" python "$H/forkbomb.py"
	judge "$T/pybomb.json"
	expect "$T/pybomb.json" '(.status == "TL" or .status == "RE") and .duration_ms <= 3500'
	faster_than 15000
	no_containers_left
}

@test "a JVM thread bomb stops at the pids limit and is RE, not ML, though the JVM says OutOfMemoryError" {
	make_sub "$T/jbomb.json" java "$H/threadbomb.java" \
		'{limits: {time_limit_ms: 2000, memory_limit_bytes: 268435456}}'
	judge "$T/jbomb.json"
	expect "$T/jbomb.json" '.status == "RE" and
		(.reason | test("process and thread limit was reached")) and
		(.stderr | test("unable to create native thread")) and
		.memory_bytes < 268435456'
	# And a C fork bomb's reason names the limit too.
	make_sub "$T/cbomb.json" c "$H/forkbomb.c"
	judge "$T/cbomb.json"
	expect "$T/cbomb.json" '.reason | test("process and thread limit was reached")'
	no_containers_left
}

@test "output flood is OL; the kept stdout is capped at 64 KiB and flagged truncated" {
	make_sub "$T/flood.json" c "$H/flood.c"
	judge "$T/flood.json"
	expect "$T/flood.json" '.status == "OL" and .truncated == true and
		(.stdout | length) == 65536 and (.stdout | test("^x+$")) and
		(.reason | test("output")) and .error == ""'
	faster_than 10000
	# The same with tests: the cut is per test and flagged there too.
	make_sub "$T/floodt.json" c "$H/flood.c" '{tests: [{input: "", expected_output: "x"}]}'
	judge "$T/floodt.json"
	expect "$T/floodt.json" '.status == "OL" and .truncated == true and
		.tests[0].status == "OL" and (.tests[0].stdout | length) == 65536 and
		(.stdout | length) <= 65536'
	no_containers_left
}

@test "filling the disk ends in a failed write (EFBIG, ENOSPC), quickly" {
	sed 's|@DIR@|.|' "$H/diskfill.c" > "$T/fillwd.c"
	sed 's|@DIR@|/tmp|' "$H/diskfill.c" > "$T/filltmp.c"
	make_sub "$T/fillwd.json" c "$T/fillwd.c"
	make_sub "$T/filltmp.json" c "$T/filltmp.c"
	judge "$T/fillwd.json"
	faster_than 10000
	judge "$T/filltmp.json"
	faster_than 10000
	# The size of one file is capped (EFBIG); files are memory, so the
	# memory limit (64 MiB, smaller than the tmpfs) stops the filling: ML.
	expect "$T/fillwd.json" '.status == "ML" and (.stdout | test("File too large")) and
		.memory_bytes >= 64 * 1048576 and .memory_bytes <= (64 + 8 + 8) * 1048576'
	expect "$T/filltmp.json" '.status == "ML" and
		.memory_bytes >= 64 * 1048576 and .memory_bytes <= (64 + 8 + 8) * 1048576'
	no_containers_left
}

@test "with room in memory, filling the disk ends in ENOSPC at the tmpfs size" {
	sed 's|@DIR@|/tmp|' "$H/diskfill.c" > "$T/filltmp.c"
	# 512 MiB of memory, a 64 MiB tmpfs: the file system fills first.
	make_sub "$T/big.json" c "$T/filltmp.c" '{limits: {time_limit_ms: 2000,
		memory_limit_bytes: 536870912}}'
	SCRC_WORKDIR_SIZE=64M judge "$T/big.json"
	faster_than 10000
	expect "$T/big.json" '.status == "RE" and .exit_code == 1 and
		(.stdout | test("No space left on device"))'
	no_containers_left
}

@test "each test starts with an empty working directory and an empty /tmp" {
	printf '%s\n' 'import os' \
		'print(sorted(os.listdir(".")), sorted(os.listdir("/tmp")))' \
		'for d in (".", "/tmp"):' \
		'    with open(os.path.join(d, "left-over"), "w") as f:' \
		'        f.write("x" * (8 << 20))' > "$T/persist.py"
	make_sub "$T/persist.json" python "$T/persist.py" \
		'{run_all_tests: true, tests: [{input: ""}, {input: ""}, {input: ""}]}'
	judge "$T/persist.json"
	expect "$T/persist.json" '[.tests[].status] == ["OK", "OK", "OK"] and
		all(.tests[]; .stdout == "[] []\n")'
	no_containers_left
}

@test "memory bomb spread over eight processes is ML" {
	make_sub "$T/mem.json" c "$H/membomb.c"
	judge "$T/mem.json"
	expect "$T/mem.json" '.status == "ML" and (.reason | test("memory")) and .error == ""'
	faster_than 15000
	no_containers_left
}

@test "a child that outlives its parent is killed: fast verdict, no process left" {
	local keep marker
	for keep in 0 1; do
		marker=scrc-orphan-$RANDOM$RANDOM$keep
		sed "s/@MARKER@/$marker/; s/@KEEP@/$keep/" "$H/orphan.c" > "$T/orphan$keep.c"
		make_sub "$T/orphan$keep.json" c "$T/orphan$keep.c"
		judge "$T/orphan$keep.json"
		# The child would spin 60 s; the verdict comes when the parent exits.
		faster_than 15000
		expect "$T/orphan$keep.json" '.status == "OK" and .stdout == "parent done\n" and
			.duration_ms < 1000'
		if pgrep -af "$marker"; then
			echo "the orphan ($marker, keep_stdio=$keep) is still running" >&2
			return 1
		fi
	done
	no_containers_left
}

@test "the network is unreachable (C and python)" {
	make_sub "$T/netc.json" c "$H/network.c"
	make_sub "$T/netpy.json" python "$H/network.py"
	judge "$T/netc.json"
	faster_than 10000
	judge "$T/netpy.json"
	faster_than 10000
	expect "$T/netc.json" '.status == "RE" and .exit_code == 1 and
		(.stdout | test("tcp (socket|connect) failed")) and
		(.stdout | test("udp (socket|send) failed")) and
		(.stdout | test("connected|sent") | not)'
	expect "$T/netpy.json" '.status == "RE" and (.stdout | test("^connect failed"))'
	no_containers_left
}

@test "writing outside the work directory fails (read-only root, not root)" {
	make_sub "$T/wc.json" c "$H/writeout.c"
	make_sub "$T/wpy.json" python "$H/writeout.py"
	judge "$T/wc.json"
	judge "$T/wpy.json"
	# Exit status = number of paths written: 0 means all were refused.
	expect "$T/wc.json" '.status == "OK" and .exit_code == 0 and
		(.stdout | test("WROTE") | not) and
		(.stdout | split("\n") | map(select(startswith("blocked "))) | length) == 5 and
		(.stdout | test("blocked /usr/scrc-pwned: (Read-only file system|Permission denied)"))'
	expect "$T/wpy.json" '.status == "OK" and (.stdout | test("WROTE") | not) and
		(.stdout | split("\n") | map(select(startswith("blocked "))) | length) == 3'
	no_containers_left
}

@test "programs run unprivileged: real and effective ids equal, not root" {
	make_sub "$T/id.json" c "$H/whoami.c"
	judge "$T/id.json"
	expect "$T/id.json" '.status == "OK" and (.stdout | split(" ") | map(tonumber) |
		.[0] >= 1000 and .[0] == .[1] and .[0] == .[2] and .[0] == .[3])'
	no_containers_left
}

@test "compile-time bombs: #include of /dev/zero and /dev/random are BF within the build limit" {
	make_sub "$T/zero.json" c "$H/include_zero.c"
	judge "$T/zero.json"
	# c.lang: build.time_limit = 30s
	faster_than 40000
	expect "$T/zero.json" '.status == "BF" and .tests == [] and .reason != "" and .error == ""'
	make_sub "$T/random.json" c "$H/include_random.c"
	judge "$T/random.json"
	faster_than 40000
	expect "$T/random.json" '.status == "BF" and .tests == [] and .reason != "" and .error == ""'
	no_containers_left
}

@test "compile-time bombs: C++ template recursion is BF; a 1 TiB static array fails fast" {
	make_sub "$T/tmpl.json" cpp "$H/template_bomb.cpp"
	judge "$T/tmpl.json"
	faster_than 40000
	expect "$T/tmpl.json" '.status == "BF" and (.stderr | test("template"))'
	make_sub "$T/huge.json" c "$H/hugearray.c"
	judge "$T/huge.json"
	faster_than 20000
	expect "$T/huge.json" '.status == "BF" or .status == "RE" or .status == "ML"'
	no_containers_left
}

@test "every byte value, malformed UTF-8 and escapes on stdout/stderr give valid JSON" {
	make_sub "$T/bytes.json" c "$H/badbytes.c"
	judge "$T/bytes.json"
	strict_json "$T/bytes.json.out"
	# The 128 ASCII bytes come through as they were, in order. (Code
	# points, not contains(): jq 1.6 stops string searches at a NUL.)
	expect "$T/bytes.json" '.status == "OK" and
		(.stdout | explode | .[0:128]) == [range(0; 128)] and
		(.stdout | explode | indices("\u001b]0;title\u0007" | explode) | length) == 1 and
		(.stderr | explode | indices([34, 92, 0]) | length) == 1'
	no_containers_left
}

@test "scrc run stopped by SIGTERM mid-run leaves no container behind" {
	local pid i left rc=0
	make_sub "$T/term.json" c "$(repo_root)/bats/programs/c/sleep10.c" \
		'{limits: {time_limit_ms: 5000}}'
	"$SCRC" run "$T/term.json" > "$T/term.out" 2> "$T/term.err" 3>&- &
	pid=$!
	# Wait for the run container (the build one comes and goes first).
	for i in $(seq 1 100); do
		[ -n "$("$DOCKER" ps -q --filter "label=scrc.submission=$ID-term" \
			--filter label=scrc.role=run)" ] && break
		sleep 0.2
	done
	[ -n "$(containers_of "$ID-term")" ] || { echo "no run container appeared" >&2; return 1; }
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	[ "$rc" -ne 0 ]
	# Removal may happen just after scrc is gone; the program itself would
	# sleep 10 s and the wall limit is 11 s: 6 s tells the two apart.
	for i in $(seq 1 30); do
		left=$(containers_of "$ID-term")
		[ -z "$left" ] && break
		sleep 0.2
	done
	if [ -n "$left" ]; then
		echo "containers left 6 s after SIGTERM: $left" >&2
		"$DOCKER" ps -aq --filter "label=scrc.submission=$ID-term" | xargs -r "$DOCKER" rm -f >/dev/null
		return 1
	fi
}

@test "after the whole file: no scrc container survives" {
	local others
	reuse_stop	# its judge's input ends: it removes the boxes it held
	gone_soon containers_of "$HOSTILE_ID-" ||
		{ echo "containers of this file left behind" >&2; return 1; }
	# When no other scrc is running on this host, no scrc container at all
	# may exist (other suites or workers may legitimately own some).
	others=$(pgrep -x scrc || true)
	if [ -z "$others" ]; then
		if ! gone_soon "$DOCKER" ps -a --filter label=scrc=1 -q; then
			"$DOCKER" ps -a --filter label=scrc=1 >&2
			return 1
		fi
	fi
}
