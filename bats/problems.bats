#!/usr/bin/env bats
# problems.bats - `scrc run` judges real contest problems through the real
# Docker engine, per the "files", "Problem-setter programs (ext)" and
# result ext fields of PROTOCOL.md: extra source files, checker programs
# (every exit code, testlib's convention, limits, the build cache, a
# checker that does not build), interactive problems (live pipes, the
# interactor out of the program's reach, deadlocks and floods ended by the
# limits), scored groups with dependencies, per-language limit factors,
# reason versus error, and the checker/interactor flags of the human table.
#
# Needs $SCRC, $SCRC_BOX and $SCRC_LANG_DIR, as exported by "make
# check-integration", a Docker daemon and the scrc/ images. Programs:
# bats/programs/problems/ (see its README). Every failing check prints the
# result JSON. Independent submissions are judged two at a time and many
# tests share one submission (run_all_tests), to keep Docker time modest.

load helpers

LIMITS='{limits: {time_limit_ms: 1000, memory_limit_bytes: 67108864}}'

# The tests of every a + b program here.
SUM_TESTS='[{number: 1, input: "2 3\n", expected_output: "5\n"},
	{number: 2, input: "10 20\n", expected_output: "30\n"}]'

setup_file() {
	need_env
	# Unique per run: the checker cache test needs sources no earlier run
	# (or test) has built, and containers are found by this prefix.
	export PROBLEMS_ID=problems-bats-$(date +%s)-$$
}

setup() {
	need_env
	P=$(repo_root)/bats/programs/problems
	C=$(repo_root)/bats/programs/c
	T=$BATS_TEST_TMPDIR
	ID=$PROBLEMS_ID-$BATS_TEST_NUMBER
}

# files_json NAME=PATH...: a "files" array, each file's content read from
# PATH and placed under NAME.
files_json() {
	local a i=0 args=() expr=
	for a in "$@"; do
		args+=(--arg "n$i" "${a%%=*}" --rawfile "c$i" "${a#*=}")
		expr+="{name: \$n$i, content: \$c$i},"
		i=$((i + 1))
	done
	jq -n "${args[@]}" "[${expr%,}]"
}

# spec LANG SOURCE [NAME=PATH...]: a program spec (checker, interactor).
spec() {
	local lang=$1 src=$2
	shift 2
	jq -n --rawfile src "$src" --arg lang "$lang" --argjson files "$(files_json "$@")" \
		'{language: $lang, source: $src} + (if $files == [] then {} else {files: $files} end)'
}

# make_problem OUT LANG SOURCE JQ-OBJECT [JQ-ARGS...]: a submission of the
# file with id $ID-<name of OUT> and $LIMITS; JQ-OBJECT is merged in last
# and may use the variables the JQ-ARGS define (--argjson chk ...).
make_problem() {
	local out=$1 lang=$2 src=$3 obj=$4
	shift 4
	jq -n --rawfile src "$src" --arg lang "$lang" --arg id "$ID-$(basename "$out" .json)" \
		"$@" "{id: \$id, language: \$lang, source: \$src} + ($LIMITS) + ($obj)" > "$out"
}

# judge_all FILE...: judge the files two at a time, as judge.bats does,
# each under a 120 s deadline (a hung judge fails its test, not the whole
# suite), then check each.
judge_all() {
	local f
	printf '%s\n' "$@" | xargs -P2 -I{} sh -c \
		'rc=0; timeout -k 10 120 "$SCRC" run "$1" > "$1.out" 2> "$1.err" || rc=$?
		echo $rc > "$1.rc"' _ {}
	for f in "$@"; do
		check_judged "$f" "$(cat "$f.rc")" || return 1
	done
}

# judge_timed FILE: judge_all FILE, and set ELAPSED_MS to what it took.
judge_timed() {
	local t0
	t0=$(date +%s%N)
	judge_all "$1"
	ELAPSED_MS=$((($(date +%s%N) - t0) / 1000000))
}

# ---------------------------------------------------------------- files

@test "extra files: a multi-file C submission (headers, one in a sub-directory) and a Python one (module, package) are OK" {
	make_problem "$T/mc.json" c "$P/multi_main.c" "{files: \$f, tests: $SUM_TESTS}" \
		--argjson f "$(files_json sum.h="$P/sum.h" util/parse.h="$P/util/parse.h")"
	make_problem "$T/mpy.json" python "$P/multi_main.py" "{files: \$f, tests: $SUM_TESTS}" \
		--argjson f "$(files_json helper.py="$P/helper.py" \
			pkg/__init__.py="$P/pkg/__init__.py" pkg/mod.py="$P/pkg/mod.py")"
	judge_all "$T/mc.json" "$T/mpy.json"
	expect "$T/mc.json" '.status == "OK" and .error == "" and
		[.tests[].status] == ["OK", "OK"] and .tests[1].stdout == "30\n"'
	expect "$T/mpy.json" '.status == "OK" and .error == "" and
		[.tests[].status] == ["OK", "OK"] and .tests[1].stdout == "30\n"'
}

@test "extra files: '..', an absolute path, NUL, duplicates or 65 files are IE naming the problem" {
	local i=0 files want
	# FILES-JSON#what the error must match, besides "file" or "name" ('#'
	# because the jq of the files holds '|').
	while IFS='#' read -r files want; do
		i=$((i + 1))
		make_problem "$T/bad$i.json" c "$C/ok.c" "{files: $files, tests: $SUM_TESTS}"
		judge_all "$T/bad$i.json"
		expect "$T/bad$i.json" ".status == \"IE\" and (.error | test(\"file|name\"; \"i\")) and
			(.error | test(\"$want\"; \"i\"))" "files $files"
	done <<'EOF'
[{name: "../x", content: ""}]#[.][.]
[{name: "a/../../b", content: ""}]#[.][.]
[{name: "/abs", content: ""}]#/abs|absolute|leading
[{name: "a\u0000b", content: ""}]#nul|\\\\u0000
[{name: "a.h", content: "1"}, {name: "a.h", content: "2"}]#a[.]h|duplicate|unique
[range(65) | {name: "f\(.).h", content: ""}]#65|64|too many
EOF
	# A program spec follows the same rules.
	make_problem "$T/badchk.json" c "$C/ok.c" "{checker: \$chk, tests: $SUM_TESTS}" \
		--argjson chk "$(spec c "$P/check_tokens.c" | jq '.files = [{name: "../t.h", content: ""}]')"
	judge_all "$T/badchk.json"
	expect "$T/badchk.json" '.status == "IE" and (.error | test("[.][.]"))'
}

# ------------------------------------------------------- checker programs

@test "checker program: exit 0 OK, 1 WA, 2 PE, 7 partial (a fraction below 1 is not OK), stderr is checker_message cut to 4 KiB" {
	# cat.c echoes the input, which tells check_exit.c what to do; the
	# expected output does not matter to it.
	make_problem "$T/codes.json" c "$C/cat.c" '{checker: ($chk + {type: "testlib"}),
		run_all_tests: true, tests: [
		{input: "ok\n", expected_output: "x\n"},
		{input: "wa\n", expected_output: "x\n"},
		{input: "pe\n", expected_output: "x\n"},
		{input: "points 0.25\n", expected_output: "x\n"},
		{input: "points 1\n", expected_output: "x\n"},
		{input: "bigerr\n", expected_output: "x\n"}]}' \
		--argjson chk "$(spec c "$P/check_exit.c")"
	judge_all "$T/codes.json"
	expect "$T/codes.json" '[.tests[].status] == ["OK", "WA", "WA", "WA", "OK", "WA"] and
		.status == "WA" and .error == "" and all(.tests[]; .stdout == .input and .error == "")'
	expect "$T/codes.json" '.tests[0] | .score == 1 and .checker_status == "OK" and
		(.checker_message | test("check_exit: ok"))'
	expect "$T/codes.json" '.tests[1] | .score == 0 and .checker_status == "WA" and
		(.checker_message | test("wrong answer"))'
	expect "$T/codes.json" '.tests[2] | .score == 0 and .checker_status == "PE"'
	expect "$T/codes.json" '.tests[3] | .score == 0.25 and .checker_status == "PARTIAL" and
		(.checker_message | test("points 0[.]25"))'
	expect "$T/codes.json" '.tests[4] | .score == 1 and .status == "OK"'
	expect "$T/codes.json" '.tests[5] | .checker_status == "WA" and
		(.checker_message | length) > 0 and (.checker_message | length) <= 4096'
}

# check_exit_sub OUT ACTION [JQ-OBJECT]: cat.c with check_exit.c as the
# checker, and one test whose input is ACTION.
check_exit_sub() {
	make_problem "$1" c "$C/cat.c" "{checker: \$chk,
		tests: [{input: \"$2\\n\", expected_output: \"x\\n\"}]} + (${3:-{\}})" \
		--argjson chk "$(spec c "$P/check_exit.c")"
}

@test "checker program: exit 3, a signal or any other exit code is the checker's failure, IE naming it" {
	local v
	# One submission each: the contract does not say whether the tests
	# after a failed checker still run, so each failure comes first. These
	# specs carry no type: testlib is the default (codes.json names it).
	for v in fail crash exit42; do
		check_exit_sub "$T/$v.json" "$v"
	done
	judge_all "$T/fail.json" "$T/crash.json" "$T/exit42.json"
	for v in fail crash exit42; do
		expect "$T/$v.json" '.status == "IE" and (.error | test("checker"; "i")) and
			.tests[0].status == "IE" and (.tests[0].error | test("checker"; "i"))' "$v"
	done
	expect "$T/fail.json" '.tests[0].checker_message | test("failing on purpose")'
}

@test "checker program: its own limits (checker_limits) end a looping or memory-hungry checker, IE, never billed to the program" {
	local lim='{checker_limits: {time_limit_ms: 1000, memory_limit_bytes: 67108864}}' base_ms v
	check_exit_sub "$T/mem.json" mem "$lim"
	check_exit_sub "$T/loop.json" loop "$lim"
	# The same submission with a checker that accepts at once is the
	# yardstick: the builds and containers cost the same in both runs.
	check_exit_sub "$T/base.json" ok "$lim"
	judge_all "$T/mem.json"
	judge_timed "$T/base.json"
	base_ms=$ELAPSED_MS
	judge_timed "$T/loop.json"
	expect "$T/base.json" '.status == "OK" and .tests[0].checker_status == "OK"'
	for v in mem loop; do
		expect "$T/$v.json" '.status == "IE" and (.error | test("checker"; "i")) and
			.tests[0].status == "IE" and (.tests[0].error | test("checker"; "i")) and
			.tests[0].cpu_time_ms < 500' "$v"
	done
	# 1 s of CPU (3 s of wall at most) for the loop, where the default
	# 10 s would add at least 10 s.
	echo "loop: $ELAPSED_MS ms, yardstick: $base_ms ms" >&2
	[ $((ELAPSED_MS - base_ms)) -lt 7000 ]
	[ "$ELAPSED_MS" -lt 30000 ]
}

@test "a program that hits a limit or fails (RE, TL) is not sent to the checker; ordinary verdicts have a reason and no error, IE an error" {
	local v
	# Had check_exit.c run on the input "fail", the test would be IE.
	for v in re tl; do
		make_problem "$T/$v.json" c "$C/$v.c" '{checker: $chk,
			tests: [{input: "fail\n", expected_output: "x\n"}]}' \
			--argjson chk "$(spec c "$P/check_exit.c")"
	done
	for v in wa ml bf; do
		make_problem "$T/$v.json" c "$C/$v.c" "{tests: $SUM_TESTS}"
	done
	judge_all "$T/re.json" "$T/tl.json" "$T/wa.json" "$T/ml.json" "$T/bf.json"
	for v in re tl; do
		expect "$T/$v.json" ".status == \"${v^^}\" and .tests[0].status == \"${v^^}\" and
			((.tests[0].checker_status // \"\") == \"\")" "$v, not sent to the checker"
	done
	for v in re tl wa ml bf; do
		expect "$T/$v.json" ".status == \"${v^^}\" and .error == \"\" and
			(.reason | type == \"string\" and length > 0) and
			all(.tests[]; .error == \"\")" "$v: reason, no error"
	done
	for v in re tl wa ml; do
		expect "$T/$v.json" '.tests[0] | .reason | type == "string" and length > 0' \
			"$v: the test's reason"
	done
	printf '%s' '{"id": "problems-ie", "language": "intercal", "source": "x"}' > "$T/ie.json"
	judge_all "$T/ie.json"
	expect "$T/ie.json" '.status == "IE" and (.error | length > 0)'
}

@test "check_tokens.c judges a correct and a wrong C solution" {
	local tests='[{input: "2 3\n", expected_output: "5\n"},
		{input: "10 20\n", expected_output: " 30 \n\n"}]'
	make_problem "$T/right.json" c "$C/ok.c" "{checker: \$chk, tests: $tests}" \
		--argjson chk "$(spec c "$P/check_tokens.c")"
	make_problem "$T/wrong.json" c "$C/wa.c" "{checker: \$chk, run_all_tests: true,
		tests: $tests}" --argjson chk "$(spec c "$P/check_tokens.c")"
	judge_all "$T/right.json" "$T/wrong.json"
	# " 30 \n\n" is not "30\n" byte for byte: only the checker program
	# accepts it.
	expect "$T/right.json" '.status == "OK" and [.tests[].status] == ["OK", "OK"] and
		all(.tests[]; .score == 1 and .checker_status == "OK")'
	expect "$T/wrong.json" '.status == "WA" and [.tests[].status] == ["WA", "WA"] and
		all(.tests[]; .score == 0 and .checker_status == "WA" and
			(.checker_message | test("token 1 differs")))'
}

@test "a testlib checker (C++, testlib.h carried in the spec's files): OK, WA, partial, PE" {
	make_problem "$T/tl.json" c "$C/cat.c" '{checker: $chk, run_all_tests: true, tests: [
		{input: "5\n", expected_output: "5\n"},
		{input: "6\n", expected_output: "5\n"},
		{input: "partial\n", expected_output: "1\n"},
		{input: "abc\n", expected_output: "5\n"},
		{input: "5 7\n", expected_output: "5\n"}]}' \
		--argjson chk "$(spec cpp "$P/check_testlib.cpp" testlib.h="$P/testlib.h")"
	judge_all "$T/tl.json"
	expect "$T/tl.json" '[.tests[].status] == ["OK", "WA", "WA", "WA", "WA"] and
		[.tests[].score] == [1, 0, 0.5, 0, 0] and
		[.tests[].checker_status] == ["OK", "WA", "PARTIAL", "PE", "PE"]'
	expect "$T/tl.json" '(.tests[0].checker_message | test("ok answer 5")) and
		(.tests[1].checker_message | test("expected 5, found 6")) and
		(.tests[2].checker_message | test("half")) and
		(.tests[4].checker_message | test("extra information"))'
}

@test "the checker cache: the same spec is built once, then reused by the next submission" {
	# A source no run has built before: a comment makes it unique.
	{ cat "$P/check_tokens.c"; echo "/* cache probe $ID $RANDOM */"; } > "$T/probe.c"
	make_problem "$T/first.json" c "$C/ok.c" "{checker: \$chk, tests: $SUM_TESTS}" \
		--argjson chk "$(spec c "$T/probe.c")"
	make_problem "$T/second.json" c "$C/ok.c" "{checker: \$chk, tests: $SUM_TESTS}" \
		--argjson chk "$(spec c "$T/probe.c")"
	judge_all "$T/first.json"
	judge_all "$T/second.json"
	expect "$T/first.json" '.status == "OK"'
	expect "$T/second.json" '.status == "OK"'
	grep -q "checker: built" "$T/first.json.err" ||
		{ echo "first: no 'checker: built' on stderr:"; cat "$T/first.json.err"; false; } >&2
	grep -q "checker: cache hit" "$T/second.json.err" ||
		{ echo "second: no 'checker: cache hit':"; cat "$T/second.json.err"; false; } >&2
	! grep -q "checker: built" "$T/second.json.err" ||
		{ echo "second: built again:"; cat "$T/second.json.err"; false; } >&2
}

@test "a checker or an interactor that does not compile is IE naming it, not BF" {
	printf 'int main(void) { return undeclared_in_checker; }\n' > "$T/broken.c"
	make_problem "$T/chk.json" c "$C/ok.c" "{checker: \$p, tests: $SUM_TESTS}" \
		--argjson p "$(spec c "$T/broken.c")"
	make_problem "$T/int.json" c "$P/guess_binary.c" \
		'{interactor: $p, tests: [{input: "10 3 10\n", expected_output: ""}]}' \
		--argjson p "$(spec c "$T/broken.c")"
	judge_all "$T/chk.json" "$T/int.json"
	# The problem setter's build failing is not the submission's fault.
	expect "$T/chk.json" '.status == "IE" and (.error | test("checker"; "i"))'
	expect "$T/int.json" '.status == "IE" and (.error | test("interactor"; "i"))'
}

# ------------------------------------------------------------ interactive

# guess_tests INPUT...: interactive tests ("N SECRET QLIMIT" each), no answer.
guess_tests() {
	local a=() i
	for i in "$@"; do a+=("{input: \"$i\\n\", expected_output: \"\"}"); done
	local IFS=,
	echo "[${a[*]}]"
}

# guess_sub OUT LANG SOLUTION TESTS [JQ-OBJECT [JQ-ARGS...]]: an
# interactive submission of the guessing game with guess_interactor.c;
# JQ-OBJECT and JQ-ARGS as for make_problem.
guess_sub() {
	local out=$1 lang=$2 sol=$3 tests=$4 obj='{}'
	shift 4
	if [ $# -gt 0 ]; then
		obj=$1
		shift
	fi
	make_problem "$out" "$lang" "$sol" \
		"{interactor: \$int, run_all_tests: true, tests: $tests} + ($obj)" \
		--argjson int "$(spec c "$P/guess_interactor.c")" "$@"
}

@test "interactive: binary search in C and in Python is OK over live pipes; stdout is empty, CPU and memory are the program's" {
	guess_sub "$T/bin.json" c "$P/guess_binary.c" \
		"$(guess_tests "1000 617 10" "1000 1 10" "1000 1000 10")"
	guess_sub "$T/py.json" python "$P/guess_binary.py" \
		"$(guess_tests "1000 617 10" "1000 1000 10")"
	local f
	judge_all "$T/bin.json" "$T/py.json"
	for f in bin py; do
		expect "$T/$f.json" '.status == "OK" and .error == "" and .stdout == "" and
			all(.tests[]; .status == "OK" and .score == 1 and .checker_status == "OK" and
				.stdout == "" and (.cpu_time_ms | type == "number") and
				(.memory_bytes | type == "number" and . > 0))' "$f"
		# checker_message is the interactor's stderr.
		expect "$T/$f.json" '.tests[0].checker_message | test("ok: guessed 617 with 7 queries")' "$f"
	done
}

@test "interactive: too many queries, giving up, flooding and crashing get the program's verdict" {
	guess_sub "$T/linear.json" c "$P/guess_linear.c" "$(guess_tests "1000 500 10")"
	guess_sub "$T/early.json" c "$P/guess_exit_early.c" "$(guess_tests "1000 500 10")"
	guess_sub "$T/flood.json" c "$P/guess_flood.c" "$(guess_tests "1000 500 20")"
	guess_sub "$T/crash.json" c "$P/guess_crash.c" "$(guess_tests "1000 500 10")"
	judge_all "$T/linear.json" "$T/early.json" "$T/flood.json" "$T/crash.json"
	expect "$T/linear.json" '.status == "WA" and .error == "" and .tests[0].checker_status == "WA" and
		(.tests[0].checker_message | test("query limit 10 exceeded"))'
	expect "$T/early.json" '.status == "WA" and .error == "" and
		(.tests[0].checker_message | test("without an answer"))'
	# The interactor stops at query 21 (WA); the program, which neither
	# reads nor dies of SIGPIPE, is then ended by the judge (WA) or by its
	# limits (TL): either way within the deadline of judge_all.
	expect "$T/flood.json" '(.status == "WA" or .status == "TL") and .error == ""'
	# The crash comes first and is the program's own: RE by the contract's
	# precedence. The interactor, reading the end of the pipe, says WA at
	# about the same moment, in another container: a judge that learns the
	# interactor's verdict first and then stops the program may report WA.
	# Both are fair; anything else (IE, OK) is not.
	expect "$T/crash.json" '(.status == "RE" and .tests[0].exit_code == 139) or .status == "WA"'
	no_containers_left
}

@test "interactive: a program that forgets to flush, or sleeps, is TL by the wall limit, quickly" {
	local t0=$SECONDS
	guess_sub "$T/noflush.json" c "$P/guess_noflush.c" "$(guess_tests "1000 617 10")"
	guess_sub "$T/sleep.json" c "$P/guess_sleep.c" "$(guess_tests "1000 617 10")"
	judge_all "$T/noflush.json" "$T/sleep.json"
	echo "both judged in $((SECONDS - t0)) s" >&2
	# Both sides wait for each other: only the program's wall limit (3 s)
	# breaks the deadlock; the interactor then reads the end of the pipe.
	[ $((SECONDS - t0)) -lt 30 ]
	expect "$T/noflush.json" '.status == "TL" and .tests[0].status == "TL" and .error == "" and
		.tests[0].duration_ms <= 4000'
	expect "$T/sleep.json" '.status == "TL" and .tests[0].status == "TL" and .error == ""'
	no_containers_left
}

@test "interactive: a testlib interactor is OK; a checker then judges the interactor's OUTPUT" {
	make_problem "$T/tl.json" c "$P/guess_binary.c" \
		"{interactor: \$int, tests: $(guess_tests "1000 617 10" "1000 1 10")}" \
		--argjson int "$(spec cpp "$P/guess_interactor_testlib.cpp" testlib.h="$P/testlib.h")"
	# OUTPUT is "queries K": 1 for 500 (the first midpoint), 7 for 617.
	guess_sub "$T/chk.json" c "$P/guess_binary.c" '[
		{input: "1000 500 10\n", expected_output: "queries 1\n"},
		{input: "1000 617 10\n", expected_output: "queries 7\n"},
		{input: "1000 617 10\n", expected_output: "queries 1\n"}]' \
		'{checker: $chk}' --argjson chk "$(spec c "$P/check_tokens.c")"
	judge_all "$T/tl.json" "$T/chk.json"
	expect "$T/tl.json" '.status == "OK" and all(.tests[]; .status == "OK" and .score == 1 and
		.checker_status == "OK") and (.tests[0].checker_message | test("guessed 617"))'
	expect "$T/chk.json" '[.tests[].status] == ["OK", "OK", "WA"] and .status == "WA"'
}

@test "interactive: the program cannot see the interactor (no process, no input file)" {
	guess_sub "$T/snoop.json" c "$P/guess_snoop.c" "$(guess_tests "1000 617 10" "1000 3 10")"
	judge_all "$T/snoop.json"
	expect "$T/snoop.json" '.status == "OK" and
		all(.tests[]; .stderr | test("no interactor seen"))'
}

# ---------------------------------------------------------------- groups

PROBLEM_GROUPS='[{name: "g1", points: 30, tests: [1, 2], policy: "min"},
	{name: "g2", points: 30, tests: [3, 4], policy: "sum", depends: ["g1"]},
	{name: "g3", points: 40, tests: [5, 6], policy: "sum"}]'

# group_tests A...: tests 1..n of sum_partial.c, one per "a b", with the
# right answer a + b (the program adds 1 when a is odd).
group_tests() {
	local a=() i n=0
	for i in "$@"; do
		n=$((n + 1))
		a+=("{number: $n, input: \"$i\\n\", expected_output: \"$((${i% *} + ${i#* }))\\n\"}")
	done
	local IFS=,
	echo "[${a[*]}]"
}

@test "groups: min and sum policies, a dependency that was not full leaves its group not run, scores and max_score" {
	# g1 full (30); g2 half of its tests (15); g3 half (20): 65.
	make_problem "$T/all.json" c "$P/sum_partial.c" \
		"{groups: $PROBLEM_GROUPS, tests: $(group_tests "2 3" "4 4" "1 1" "6 1" "3 4" "8 8")}"
	# g1 loses a test: 0 by min, so g2 is not run (-); g3 half: 20.
	make_problem "$T/dep.json" c "$P/sum_partial.c" \
		"{groups: $PROBLEM_GROUPS, tests: $(group_tests "1 2" "2 2" "2 3" "4 4" "2 5" "5 5")}"
	judge_all "$T/all.json" "$T/dep.json"
	# Every test runs (groups imply run_all_tests); the top-level status
	# is still the first non-OK test's (compat).
	expect "$T/all.json" '.status == "WA" and .error == "" and .score == 65 and .max_score == 100 and
		[.tests[].status] == ["OK", "OK", "WA", "OK", "WA", "OK"] and
		[.tests[].score] == [1, 1, 0, 1, 0, 1] and
		[.groups[] | {name, points, score, status}] == [
			{name: "g1", points: 30, score: 30, status: "OK"},
			{name: "g2", points: 30, score: 15, status: "WA"},
			{name: "g3", points: 40, score: 20, status: "WA"}]'
	expect "$T/dep.json" '.status == "WA" and .score == 20 and .max_score == 100 and
		[.tests[].status] == ["WA", "OK", "-", "-", "OK", "WA"] and
		.tests[2].stdout == "" and .tests[3].stdout == "" and
		[.groups[] | {name, points, score, status}] == [
			{name: "g1", points: 30, score: 0, status: "WA"},
			{name: "g2", points: 30, score: 0, status: "-"},
			{name: "g3", points: 40, score: 20, status: "WA"}]'
}

@test "groups: a dependency on an unknown group, or a cycle, is IE" {
	local i=0 groups want
	while IFS='|' read -r groups want; do
		i=$((i + 1))
		make_problem "$T/g$i.json" c "$C/ok.c" "{groups: $groups, tests: $SUM_TESTS}"
		judge_all "$T/g$i.json"
		expect "$T/g$i.json" ".status == \"IE\" and (.error | test(\"$want\"; \"i\"))" \
			"groups $groups"
	done <<'EOF'
[{name: "a", points: 50, tests: [1], depends: ["nope"]}, {name: "b", points: 50, tests: [2]}]|nope
[{name: "a", points: 50, tests: [1], depends: ["b"]}, {name: "b", points: 50, tests: [2], depends: ["a"]}]|cycle|circular|depend
[{name: "a", points: 100, tests: [1, 2], depends: ["a"]}]|cycle|circular|depend|itself
EOF
}

# ----------------------------------------------------- limits and flags

@test "per-language limit factors: the applied limits are in the result; java's time is doubled, c's is as asked" {
	local lim='{limits: {time_limit_ms: 1000, memory_limit_bytes: 268435456}}'
	make_problem "$T/java.json" java "$(repo_root)/bats/programs/java/ok.java" \
		"$lim + {tests: $SUM_TESTS}"
	make_problem "$T/c.json" c "$C/ok.c" "$lim + {tests: $SUM_TESTS}"
	judge_all "$T/java.json" "$T/c.json"
	# lang/java.lang: time_factor = 2.
	expect "$T/java.json" '.status == "OK" and .time_limit_ms == 2000 and
		.memory_limit_bytes >= 268435456'
	expect "$T/c.json" '.status == "OK" and .time_limit_ms == 1000 and
		.memory_limit_bytes == 268435456 and .wall_time_limit_ms == 3000'
}

@test "scrc run --checker-program and --interactor print a table with a score column" {
	printf 'ok\n' > "$T/in1"
	printf 'points 0.25\n' > "$T/in2"
	printf 'x\n' > "$T/ans"
	run timeout -k 10 120 "$SCRC" run --lang c "$C/cat.c" --test "$T/in1:$T/ans" \
		--test "$T/in2:$T/ans" --checker-program "$P/check_exit.c"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qi score <<< "$output"
	grep -Eq '^1 +OK' <<< "$output"
	grep -Eq '^2 +WA.*(0[.]25|25(\.0+)? ?%)' <<< "$output"
	printf '1000 617 10\n' > "$T/gin"
	: > "$T/gout"
	run timeout -k 10 120 "$SCRC" run --lang c "$P/guess_binary.c" --test "$T/gin:$T/gout" \
		--interactor "$P/guess_interactor.c"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qi score <<< "$output"
	grep -Eq '^1 +OK' <<< "$output"
	grep -Eq '^all +OK' <<< "$output"
}
