#!/usr/bin/env bats
# judge.bats - `scrc run` judges real programs through the real Docker
# engine: one program per language profile per verdict (OK WA TL ML BF RE,
# from bats/programs/<lang>/), the result record's fields and types, CPU
# and wall time measurement, test-less runs, run_all_tests, the checkers,
# record-level errors (IE), id fallback, bytes that are not text, limit
# ceilings, the C++ precompiled headers and the JVM's class-data sharing
# archives, and the human table of `scrc run --lang`.
#
# Needs $SCRC (the scrc binary), $SCRC_BOX and $SCRC_LANG_DIR, as exported
# by "make check-integration", a Docker daemon and the scrc/ images
# ("make images"). Every failing check prints the result JSON.

load helpers

# The submissions of the language matrix share two tests.
MATRIX_TESTS='[{number:1,input:"2 3\n",expected_output:"5\n"},
	{number:2,input:"10 20\n",expected_output:"30\n"}]'
VERDICTS="ok wa tl ml bf re"

# all_lang_names: the profile names, from the files in the language directory.
all_lang_names() {
	local f
	for f in "$SCRC_LANG_DIR"/*.lang; do
		basename "$f" .lang
	done
}

# lang_names: the languages this run judges: SCRC_MATRIX_LANGUAGES (blank
# separated) when set (the podman run judges a few, one per kind of image),
# else every profile.
lang_names() {
	if [ -n "${SCRC_MATRIX_LANGUAGES:-}" ]; then
		printf '%s\n' $SCRC_MATRIX_LANGUAGES
	else
		all_lang_names
	fi
}

# lang_outcomes LANG: the matrix cells the profile says its language can
# reach: its "outcomes" key, else all six, or all but bf without a build
# step (lang/README).
lang_outcomes() {
	local f=$SCRC_LANG_DIR/$1.lang v
	v=$(sed -n 's/^[[:space:]]*outcomes[[:space:]]*=[[:space:]]*//p' "$f")
	if [ -n "$v" ]; then
		echo "$v"
	elif grep -q '^[[:space:]]*build\.argv[[:space:]]*=' "$f"; then
		echo "$VERDICTS"
	else
		echo "$VERDICTS" | sed 's/ bf / /'
	fi
}

# lang_can LANG OUTCOME: true when LANG can reach the OUTCOME cell.
lang_can() {
	case " $(lang_outcomes "$1") " in *" $2 "*) return 0 ;; esac
	return 1
}

# lang_ext LANG: the extension of the profile's source file (main.c -> c).
lang_ext() {
	local src
	src=$(sed -n 's/^[[:space:]]*source[[:space:]]*=[[:space:]]*//p' \
		"$SCRC_LANG_DIR/$1.lang")
	echo "${src##*.}"
}

# make_sub OUT LANG SOURCEFILE ID [JQ-OBJECT]: write a submission record
# whose source is the file's content; JQ-OBJECT (e.g. '{tests: [...]}') is
# merged into it.
make_sub() {
	jq -n --rawfile src "$3" --arg lang "$2" --arg id "$4" \
		"{id: \$id, language: \$lang, source: \$src} + (${5:-{\}})" > "$1"
}

# judge_parallel FILE...: judge the files two at a time, then check each.
judge_parallel() {
	local f
	printf '%s\n' "$@" | xargs -P2 -I{} sh -c \
		'rc=0; "$SCRC" run "$1" > "$1.out" 2> "$1.err" || rc=$?; echo $rc > "$1.rc"' _ {}
	for f in "$@"; do
		check_judged "$f" "$(cat "$f.rc")" || return 1
	done
}

# The field list of PROTOCOL.md: compat fields and types, ext fields.
FIELDS_OK='
def int: type == "number" and . == floor;
def str: type == "string";
(.id | str) and (.status | str) and (.exit_code | int) and (.stdout | str) and
(.stderr | str) and (.duration_ms | int and . >= 0) and (.error | str) and
(.timestamp | str and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z$")) and
((.timestamp | sub("[.][0-9]+Z$"; "Z") | fromdateiso8601) - now | fabs < 900) and
(.cpu_time_ms | int and . >= 0) and (.memory_bytes | int and . >= 0) and
(.wall_time_limit_ms | int) and (.truncated | type == "boolean") and (.reason | str) and
(.time_limit_ms | int and . >= 0) and (.memory_limit_bytes | int and . >= 0) and
(.tests | type == "array") and
all(.tests[]; (.number | int) and (.status | str) and (.exit_code | int) and
	(.duration_ms | int and . >= 0) and (.stdout | str) and (.stderr | str) and
	(.input | str) and (.expected_output | str) and (.error | str) and (.reason | str) and
	(.cpu_time_ms | int and . >= 0) and (.memory_bytes | int and . >= 0))'

setup_file() {
	need_env
	local lang ext v mem files=()
	MATRIX=$BATS_FILE_TMPDIR/matrix
	mkdir -p "$MATRIX"
	for lang in $(lang_names); do
		ext=$(lang_ext "$lang")
		mem=67108864
		# The JVM's languages: Java's 256 MiB of heap.
		case $lang in java|kotlin|scala|groovy|clojure) mem=268435456 ;; esac
		for v in $VERDICTS; do
			lang_can "$lang" "$v" || continue
			# A missing program is reported by its own test below.
			[ -f "$(repo_root)/bats/programs/$lang/$v.$ext" ] || continue
			make_sub "$MATRIX/$lang-$v.json" "$lang" \
				"$(repo_root)/bats/programs/$lang/$v.$ext" "judge-bats-$lang-$v" \
				"{limits: {time_limit_ms: 1000, memory_limit_bytes: $mem},
				  tests: $MATRIX_TESTS}"
			files+=("$MATRIX/$lang-$v.json")
		done
	done
	printf '%s\n' "${files[@]}" | xargs -P2 -I{} sh -c \
		'rc=0; "$SCRC" run "$1" > "$1.out" 2> "$1.err" || rc=$?; echo $rc > "$1.rc"' _ {}
	export MATRIX
}

setup() {
	need_env
	PROG=$(repo_root)/bats/programs
	T=$BATS_TEST_TMPDIR
}

# matrix_expect VERDICT JQ: for every language, the result of its VERDICT
# program satisfies JQ (and the field list). Reports every language that
# fails, not just the first.
matrix_expect() {
	local lang f bad=0
	for lang in $(lang_names); do
		# A cell the profile says cannot exist has no program (checked below).
		lang_can "$lang" "$1" || continue
		f=$MATRIX/$lang-$1.json
		if [ ! -f "$f" ]; then
			echo "$lang: no program $1.$(lang_ext "$lang") in bats/programs/$lang" >&2
			bad=1
			continue
		fi
		check_judged "$f" "$(cat "$f.rc")" || { bad=1; continue; }
		expect "$f" "$FIELDS_OK" "$lang/$1 (fields)" || bad=1
		expect "$f" "$2" "$lang/$1" || bad=1
	done
	return $bad
}

# lang_expect LANG VERDICT JQ: LANG's VERDICT result satisfies JQ, when this
# run judges LANG (SCRC_MATRIX_LANGUAGES); else nothing to check.
lang_expect() {
	case " $(lang_names | tr '\n' ' ') " in *" $1 "*) ;; *) return 0 ;; esac
	expect "$MATRIX/$1-$2.json" "$3" "$1/$2"
}

@test "every language profile has an ok/wa/tl/ml/bf/re program (none for a cell it cannot reach)" {
	local lang ext v n=0 missing="" stray=""
	for lang in $(all_lang_names); do
		n=$((n + 1))
		ext=$(lang_ext "$lang")
		[ -n "$ext" ]
		for v in $VERDICTS; do
			if lang_can "$lang" "$v"; then
				[ -f "$PROG/$lang/$v.$ext" ] || missing="$missing $lang/$v.$ext"
			else
				[ ! -e "$PROG/$lang/$v.$ext" ] || stray="$stray $lang/$v.$ext"
			fi
		done
	done
	[ "$n" -ge 40 ]
	[ -z "$missing" ] || { echo "missing programs:$missing" >&2; return 1; }
	[ -z "$stray" ] || { echo "programs for cells that cannot exist:$stray" >&2; return 1; }
	# forth compiles as it runs: its profile says bf cannot exist.
	! lang_can forth bf
	lang_can forth re
}

@test "matrix OK: both tests pass, outputs and fields as in PROTOCOL.md" {
	matrix_expect ok '
		.time_limit_ms as $tl |
		.status == "OK" and .error == "" and .exit_code == 0 and
		.stdout == "30\n" and .id == (input_filename | split("/")[-1] | "judge-bats-" +
			rtrimstr(".json.out")) and
		([.tests[].status] == ["OK", "OK"]) and
		([.tests[].number] == [1, 2]) and
		.tests[0].stdout == "5\n" and .tests[1].stdout == "30\n" and
		.tests[0].input == "2 3\n" and .tests[0].expected_output == "5\n" and
		.tests[1].input == "10 20\n" and .tests[1].expected_output == "30\n" and
		all(.tests[]; .exit_code == 0 and .error == "" and .cpu_time_ms < $tl and
			.memory_bytes > 0) and
		.duration_ms == ([.tests[].duration_ms] | add) and
		.memory_bytes == ([.tests[].memory_bytes] | max) and
		.cpu_time_ms == ([.tests[].cpu_time_ms] | max) and
		.time_limit_ms > 0 and .memory_limit_bytes > 0 and
		.wall_time_limit_ms == 2 * .time_limit_ms + 1000 and .truncated == false'
}

@test "matrix WA: first test WA, the second not run (-)" {
	matrix_expect wa '
		.status == "WA" and ([.tests[].status] == ["WA", "-"]) and
		.tests[0].exit_code == 0 and .tests[0].stdout != "5\n" and
		.tests[0].stdout != "" and .stdout == .tests[0].stdout and
		.tests[1].stdout == "" and .tests[1].duration_ms == 0 and
		.tests[1].input == "10 20\n" and .tests[1].expected_output == "30\n" and
		.error == "" and .tests[0].error == "" and (.reason | test("wrong answer"))'
}

@test "matrix TL: stopped at the CPU limit (or the wall limit on a busy host)" {
	# A busy host may give the loop less than its CPU limit (1 s, or more
	# with the profile's time_factor) within the wall limit: then the wall
	# limit stops it, which is TL too.
	matrix_expect tl '
		.status == "TL" and ([.tests[].status] == ["TL", "-"]) and
		(.tests[0].cpu_time_ms >= .time_limit_ms or
		 .tests[0].duration_ms >= .wall_time_limit_ms) and
		.tests[0].duration_ms <= .wall_time_limit_ms + 500 and .tests[0].exit_code == 137 and
		(.tests[0].reason | test("time limit")) and .tests[0].error == ""'
}

@test "matrix ML: memory limit exceeded" {
	matrix_expect ml '
		.status == "ML" and ([.tests[].status] == ["ML", "-"]) and
		(.tests[0].reason | test("memory")) and .tests[0].duration_ms < .wall_time_limit_ms and
		.error == "" and .tests[0].error == ""'
}

@test "matrix BF: the compiler's diagnostics, no test run" {
	matrix_expect bf '
		.status == "BF" and .tests == [] and .exit_code != 0 and .reason != "" and .error == "" and
		(.stdout + .stderr | length) > 20'
	# The diagnostics name the file and the fault, per language.
	lang_expect c bf '.stderr | test("main[.]c:1:.*undeclared_variable")'
	lang_expect cpp bf '.stderr | test("no_such_thing")'
	lang_expect python bf '.stdout + .stderr | test("SyntaxError")'
	lang_expect java bf '.stdout + .stderr | test("Main[.]java:3: error")'
	lang_expect go bf '.stdout + .stderr | test("main[.]go:")'
	# Nothing of the toolchain's own comes before them (kotlinc's script once
	# opened every error with a JVM deprecation warning).
	matrix_expect bf '(.stdout + .stderr | test("VM warning") | not)'
}

@test "matrix RE: runtime error, non-zero exit or signal" {
	matrix_expect re '
		.status == "RE" and ([.tests[].status] == ["RE", "-"]) and
		.tests[0].exit_code != 0 and .exit_code == .tests[0].exit_code and
		(.tests[0].reason | test("exit code|signal")) and .error == "" and .tests[0].error == ""'
	# A null dereference is SIGSEGV: 128 + 11.
	lang_expect c re '.tests[0].exit_code == 139 and
		(.tests[0].reason | test("signal 11"))'
	lang_expect python re '.stderr | test("ZeroDivisionError")'
}

@test "SCRC_BOX_CHANNEL=attach (a docker CLI attached per box) gives the matrix's verdicts for c and python" {
	local lang v f n=0
	for lang in c python; do
		for v in $VERDICTS; do
			f=$MATRIX/$lang-$v.json
			[ -f "$f" ] || continue
			jq '.id += "-attach"' "$f" > "$T/$lang-$v.json"
			SCRC_BOX_CHANNEL=attach "$SCRC" run "$T/$lang-$v.json" > "$T/$lang-$v.out" \
				2> "$T/$lang-$v.err" || true
			# The same statuses, test by test, as through the socket.
			[ "$(jq -c '[.status, [.tests[].status]]' "$T/$lang-$v.out")" = \
			  "$(jq -c '[.status, [.tests[].status]]' "$f.out")" ] ||
				{ echo "$lang $v: $(cat "$T/$lang-$v.out" "$T/$lang-$v.err")" >&2; return 1; }
			n=$((n + 1))
		done
	done
	[ "$n" -ge 11 ]
	gone_soon containers_of judge-bats-c-
	gone_soon containers_of judge-bats-python-
}

@test "a calibrated 400 ms CPU burner reports cpu_time_ms within 15% of 400" {
	make_sub "$T/cpu.json" c "$PROG/c/cpu400.c" cpu400 '{limits: {time_limit_ms: 1000}}'
	judge "$T/cpu.json"
	expect "$T/cpu.json" "$FIELDS_OK"
	expect "$T/cpu.json" '.status == "OK" and .stdout == "done\n" and .tests == [] and
		.cpu_time_ms >= 340 and .cpu_time_ms <= 460 and
		.duration_ms >= .cpu_time_ms - 20'
}

@test "CPU of every process counts, peak memory is measured, a self-sent SIGKILL is RE" {
	local lim='{limits: {time_limit_ms: 1000, memory_limit_bytes: 67108864}}'
	make_sub "$T/cpu2.json" c "$PROG/c/cpu2x300.c" cpu2x300 "$lim"
	make_sub "$T/mem40.json" c "$PROG/c/mem40.c" mem40 "$lim"
	make_sub "$T/kill.json" c "$PROG/c/selfkill.c" selfkill "$lim"
	judge_parallel "$T/cpu2.json" "$T/mem40.json" "$T/kill.json"
	expect "$T/cpu2.json" '.status == "OK" and .stdout == "done\n" and
		.cpu_time_ms >= 510 and .cpu_time_ms <= 690'
	# 40 MiB touched under a 64 MiB limit: OK, and the peak shows it.
	expect "$T/mem40.json" '.status == "OK" and .stdout == "1\n" and
		.memory_bytes >= 41943040 and .memory_bytes <= 50331648'
	# Not ML (no OOM), not TL: the program's own doing.
	expect "$T/kill.json" '.status == "RE" and .exit_code == 137 and
		(.reason | test("signal 9"))'
}

@test "a sleeping program is TL by the wall limit: default 2*time+1000, and explicit" {
	make_sub "$T/sleep.json" c "$PROG/c/sleep10.c" sleep-default \
		'{limits: {time_limit_ms: 1000}}'
	make_sub "$T/sleepw.json" c "$PROG/c/sleep10.c" sleep-explicit \
		'{limits: {time_limit_ms: 1000, wall_time_limit_ms: 1500}}'
	judge_parallel "$T/sleep.json" "$T/sleepw.json"
	expect "$T/sleep.json" '.status == "TL" and .wall_time_limit_ms == 3000 and
		.duration_ms >= 2950 and .duration_ms <= 3600 and .cpu_time_ms < 200 and
		(.reason | test("wall"))'
	expect "$T/sleepw.json" '.status == "TL" and .wall_time_limit_ms == 1500 and
		.duration_ms >= 1450 and .duration_ms <= 2100 and .cpu_time_ms < 200'
}

@test "without tests: one run, the top-level fields are that run's" {
	make_sub "$T/nt.json" c "$PROG/c/noinput.c" notests
	judge "$T/nt.json"
	expect "$T/nt.json" "$FIELDS_OK"
	expect "$T/nt.json" '.status == "RE" and .tests == [] and .exit_code == 3 and
		.stdout == "to stdout\n" and .stderr == "to stderr\n" and
		(.reason | test("exit code 3")) and .error == "" and .memory_bytes > 0 and .id == "notests"'
}

@test "run_all_tests: false stops at the first failure, true runs every test" {
	local tests='[{input:"1 1\n",expected_output:"2\n"},{input:"2 2\n",expected_output:"5\n"},
		{input:"3 3\n",expected_output:"6\n"},{input:"4 4\n",expected_output:"9\n"}]'
	make_sub "$T/stop.json" c "$PROG/c/ok.c" stop "{tests: $tests}"
	make_sub "$T/all.json" c "$PROG/c/ok.c" all "{tests: $tests, run_all_tests: true}"
	judge_parallel "$T/stop.json" "$T/all.json"
	expect "$T/stop.json" '.status == "WA" and
		[.tests[].status] == ["OK", "WA", "-", "-"] and
		[.tests[].number] == [1, 2, 3, 4] and .tests[3].stdout == "" and
		.stdout == "4\n"'
	expect "$T/all.json" '.status == "WA" and
		[.tests[].status] == ["OK", "WA", "OK", "WA"] and
		[.tests[].stdout] == ["2\n", "4\n", "6\n", "8\n"] and .stdout == "8\n" and
		.duration_ms == ([.tests[].duration_ms] | add)'
}

@test "checkers: exact, lines, tokens, float:1e-6" {
	# The program copies stdin to stdout: input is what it prints.
	make_sub "$T/exact.json" c "$PROG/c/cat.c" exact '{run_all_tests: true, tests: [
		{input: "5\n", expected_output: "5\n"},
		{input: "5 \n", expected_output: "5\n"},
		{input: "5", expected_output: "5\n"},
		{input: "5\n\n", expected_output: "5\n"}]}'
	make_sub "$T/lines.json" c "$PROG/c/cat.c" lines '{checker: "lines",
		run_all_tests: true, tests: [
		{input: "5  \n6\t\n\n\n", expected_output: "5\n6\n"},
		{input: "5\n6", expected_output: "5\n6\n"},
		{input: "5\n7\n", expected_output: "5\n6\n"},
		{input: " 5\n6\n", expected_output: "5\n6\n"},
		{input: "5\n\n6\n", expected_output: "5\n6\n"}]}'
	make_sub "$T/tokens.json" c "$PROG/c/cat.c" tokens '{checker: "tokens",
		run_all_tests: true, tests: [
		{input: "1   2\n\n3\n", expected_output: "1 2 3"},
		{input: "1 2\n", expected_output: "1 2 3\n"},
		{input: "1 23\n", expected_output: "1 2 3\n"}]}'
	make_sub "$T/float.json" c "$PROG/c/cat.c" float '{checker: "float:1e-6",
		run_all_tests: true, tests: [
		{input: "1.0000001\n", expected_output: "1.0\n"},
		{input: "1.1\n", expected_output: "1.0\n"},
		{input: "x 2.0000000001 y\n", expected_output: "x 2 y\n"},
		{input: "x 2 z\n", expected_output: "x 2 y\n"},
		{input: "1000000.5\n", expected_output: "1000000.0\n"}]}'
	judge_parallel "$T/exact.json" "$T/lines.json" "$T/tokens.json" "$T/float.json"
	expect "$T/exact.json" '[.tests[].status] == ["OK", "WA", "WA", "WA"] and .status == "WA"'
	expect "$T/lines.json" '[.tests[].status] == ["OK", "OK", "WA", "WA", "WA"]'
	expect "$T/tokens.json" '[.tests[].status] == ["OK", "WA", "WA"]'
	# 1000000.5 vs 1000000.0: relative difference 5e-7 is within 1e-6.
	expect "$T/float.json" '[.tests[].status] == ["OK", "WA", "OK", "WA", "OK"]'
}

@test "bad records are answered IE with a clear error, exit 0" {
	local i=0 rec want
	while IFS='|' read -r rec want; do
		i=$((i + 1))
		printf '%s' "$rec" > "$T/bad$i.json"
		judge "$T/bad$i.json"
		expect "$T/bad$i.json" "$FIELDS_OK" "record $rec"
		expect "$T/bad$i.json" ".status == \"IE\" and .tests == [] and
			(.error | ascii_downcase | test(\"$want\"))" "record $rec"
	done <<'EOF'
this is not json|json
{"id": "x", "language": "c", "source": |json
[1, 2, 3]|object
"just a string"|object
{"id": "nosrc", "language": "c"}|source
{"id": "empty", "language": "c", "source": ""}|source
{"id": "lang", "language": "intercal", "source": "x"}|language.*intercal
{"id": "neg", "language": "c", "source": "x", "limits": {"time_limit_ms": -1}}|time_limit_ms
{"id": "negm", "language": "c", "source": "x", "limits": {"memory_limit_bytes": -5}}|memory_limit_bytes
{"id": "negw", "language": "c", "source": "x", "limits": {"wall_time_limit_ms": -5}}|wall_time_limit_ms
{"id": "t1", "language": "c", "source": 42}|source
{"id": "t2", "language": "c", "source": "x", "limits": {"time_limit_ms": "1000"}}|time_limit_ms
{"id": "t3", "language": "c", "source": "x", "tests": {"input": ""}}|tests
{"id": "t4", "language": "c", "source": "x", "tests": [{"input": 5}]}|input
{"id": "t5", "language": "c", "source": "x", "run_all_tests": "yes"}|run_all_tests
{"id": "t6", "language": "c", "source": "x", "limits": []}|limits
{"id": "t7", "language": ["c"], "source": "x"}|language
{"id": "t8", "language": "c", "source": "x", "checker": "fuzzy"}|checker
EOF
	# A record with a readable id keeps it in its IE answer.
	expect "$T/bad5.json" '.id == "nosrc"'
	expect "$T/bad7.json" '.id == "lang"'
}

@test "a record without id is answered under SCRC_FALLBACK_ID, else the file name" {
	printf '%s' '{"language": "python", "source": "print(6 * 7)"}' > "$T/noid.json"
	SCRC_FALLBACK_ID=fallback-17 "$SCRC" run "$T/noid.json" > "$T/a.json.out"
	expect "$T/a.json" '.id == "fallback-17" and .status == "OK" and .stdout == "42\n"'
	(unset SCRC_FALLBACK_ID; "$SCRC" run "$T/noid.json") > "$T/b.json.out"
	expect "$T/b.json" ".id == \"$T/noid.json\" and .status == \"OK\""
	# The fallback also names records that cannot be parsed at all.
	printf 'garbage' | SCRC_FALLBACK_ID=fallback-18 "$SCRC" run - > "$T/c.json.out"
	expect "$T/c.json" '.id == "fallback-18" and .status == "IE"'
	# An id in the record wins over the fallback.
	printf '%s' '{"id": "mine", "language": "py", "source": "print(1)"}' |
		SCRC_FALLBACK_ID=other "$SCRC" run - > "$T/d.json.out"
	expect "$T/d.json" '.id == "mine" and .status == "OK"'
}

@test "NUL bytes in stdin and invalid UTF-8 in the output still give valid JSON" {
	make_sub "$T/nul.json" c "$PROG/c/cat.c" nul \
		'{tests: [{input: "a\u0000b\u0001\u001b[0m\n", expected_output: "a\u0000b\u0001\u001b[0m\n"}]}'
	# Invalid UTF-8 can only come from the program: the python source
	# writes raw bytes.
	printf '%s\n' 'import sys' \
		'sys.stdout.buffer.write(b"ok\xff\xfe\xc3\x28\xed\xa0\x80\x00\x07end\n")' \
		'sys.stderr.buffer.write(b"\x80\x80\xf0\x28\x8c\x28\n")' > "$T/bytes.py"
	make_sub "$T/bytes.json" python "$T/bytes.py" bytes
	judge_parallel "$T/nul.json" "$T/bytes.json"
	expect "$T/nul.json" '.status == "OK" and .tests[0].stdout == "a\u0000b\u0001\u001b[0m\n" and
		.stdout == .tests[0].input'
	expect "$T/bytes.json" '.status == "OK" and (.stdout | startswith("ok")) and
		(.stdout | endswith("end\n")) and (.stdout | explode | indices([0, 7]) | length) == 1 and
		(.stderr | length) > 0'
	# Strict parsers accept both records (no raw invalid UTF-8 inside).
	"$PYTHON" -c '
import json, sys
for p in sys.argv[1:]:
    json.loads(open(p, "rb").read().decode("utf-8", errors="strict"))
' "$T/nul.json.out" "$T/bytes.json.out"
}

@test "huge limits are clamped by the server ceilings" {
	make_sub "$T/huge.json" c "$PROG/c/cpu400.c" huge \
		'{limits: {time_limit_ms: 1000000000000, memory_limit_bytes: 1000000000000000}}'
	make_sub "$T/hugew.json" c "$PROG/c/cpu400.c" hugew \
		'{limits: {time_limit_ms: 1000000000000, wall_time_limit_ms: 1000000000000}}'
	# Explicit ceilings make the expected values exact.
	SCRC_MAX_TIME_LIMIT=2s SCRC_MAX_WALL_LIMIT=4s judge_parallel "$T/huge.json" "$T/hugew.json"
	expect "$T/huge.json" '.status == "OK" and .stdout == "done\n" and
		.wall_time_limit_ms == 4000'
	expect "$T/hugew.json" '.status == "OK" and .wall_time_limit_ms == 4000'
	RUNNER_TIME_LIMIT=1s SCRC_MAX_TIME_LIMIT=1s SCRC_MAX_WALL_LIMIT=1m judge "$T/huge.json"
	expect "$T/huge.json" '.status == "OK" and .wall_time_limit_ms == 3000'
	# The default ceilings: the wall limit stays at most a minute.
	judge "$T/hugew.json"
	expect "$T/hugew.json" '.status == "OK" and .wall_time_limit_ms <= 60000 and
		.wall_time_limit_ms > 0'
}

@test "java: a public class of any name (with a helper class before it) is built and run" {
	make_sub "$T/sol.json" java "$PROG/java/Solution.java" sol "{tests: $MATRIX_TESTS}"
	judge "$T/sol.json"
	expect "$T/sol.json" '.status == "OK" and [.tests[].stdout] == ["5\n", "30\n"]'
}

@test "C++ profiles compile <bits/stdc++.h> from the header their image precompiled for their exact flags" {
	local f image argv out n=0
	printf '#include <bits/stdc++.h>\nint main() { std::vector<int> v{1}; std::cout << v[0] << "\\n"; }\n' \
		> "$T/main.cpp"
	for f in "$SCRC_LANG_DIR"/*.lang; do
		grep -q '^build.image_setup = .*stdc++\.h\.gch' "$f" || continue
		image=$(sed -n 's/^build.image = //p' "$f")
		argv=$(sed -n 's/^build.argv = //p' "$f")
		# -H lists the headers read; "!" marks a precompiled one that was used.
		out=$("$DOCKER" run -i --rm --network none $CLI_ULIMITS -w /tmp "$image" \
			sh -c "cat > main.cpp && $argv -H 2>&1 >/dev/null && ./main" < "$T/main.cpp")
		echo "$(basename "$f"): $(echo "$out" | grep '^!')"
		echo "$out" | grep -q '^! .*/bits/stdc++\.h\.gch/.*\.gch$'
		[ "$(echo "$out" | tail -n 1)" = 1 ]
		n=$((n + 1))
	done
	# cpp (17), cpp11, cpp14, cpp20, cpp23.
	[ "$n" -eq 5 ]
}

@test "the class-data sharing archives of java and clojure are in the image and map (-Xshare:on)" {
	# A JVM ignores an archive it cannot use: only -Xshare:on says whether
	# the profiles' -XX:SharedArchiveFile= still does anything. An archive
	# is checked with the class path it was made with.
	local image
	image=$(sed -n 's/^build\.image *= *//p' "$SCRC_LANG_DIR/java.lang")
	grep -q 'SharedArchiveFile=/var/lib/scrc-cds/javac.jsa' "$SCRC_LANG_DIR/java.lang"
	[ "$(grep -c 'SharedArchiveFile=/var/lib/scrc-cds/clojure.jsa' "$SCRC_LANG_DIR/clojure.lang")" = 2 ]
	# No other profile names one this test does not check.
	[ "$(cat "$SCRC_LANG_DIR"/*.lang | grep -c 'SharedArchiveFile=')" = 3 ]
	run "$DOCKER" run --rm --network none $CLI_ULIMITS "$image" javac -J-XX:+UseSerialGC -J-Xshare:on \
		-J-XX:SharedArchiveFile=/var/lib/scrc-cds/javac.jsa -version
	echo "javac: $output"
	[ "$status" -eq 0 ]
	run "$DOCKER" run --rm --network none $CLI_ULIMITS "$image" java -XX:+UseSerialGC -Xshare:on \
		-XX:SharedArchiveFile=/var/lib/scrc-cds/clojure.jsa -cp /usr/share/java/clojure.jar \
		clojure.main -e '(println (+ 3 4))'
	echo "clojure: $output"
	[ "$status" -eq 0 ]
	[ "$output" = 7 ]
	# And a missing archive is refused the same way: the check can fail.
	run "$DOCKER" run --rm --network none $CLI_ULIMITS "$image" java -Xshare:on \
		-XX:SharedArchiveFile=/var/lib/scrc-cds/none.jsa -version
	echo "none: $output"
	[ "$status" -ne 0 ]
	echo "$output" | grep -q 'shared archive not found (/var/lib/scrc-cds/none.jsa)'
}

@test "scrc --self-test judges every profile's echo program; --list-languages shows versions and images" {
	local n l
	# shellcheck disable=SC2046
	run "$SCRC" --self-test $(lang_names)
	echo "$output"
	[ "$status" -eq 0 ]
	n=$(lang_names | wc -l)
	[[ "$output" == *"$n of $n languages OK"* ]]
	run "$SCRC" --self-test c no-such-language
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" =~ (^|$'\n')c\ +OK ]]
	[[ "$output" == *"no-such-language"*"no such language profile"* ]]
	run "$SCRC" --list-languages
	echo "$output"
	# A run that judges a few languages (SCRC_MATRIX_LANGUAGES) has only their
	# images: the others' missing ones make --list-languages exit 1, rightly.
	if [ -z "${SCRC_MATRIX_LANGUAGES:-}" ]; then
		[ "$status" -eq 0 ]
	else
		[ "$status" -le 1 ]
	fi
	[[ "$output" =~ (^|$'\n')java\ +java17\ +openjdk\ version ]]
	[[ "$output" =~ (^|$'\n')python\ +[a-z0-9,]+\ +Python\ 3 ]]
	[ "$(tail -n +2 <<< "$output" | grep -c '^[a-z]')" -eq "$(all_lang_names | wc -l)" ]
	for l in $(lang_names); do
		grep -E "^$l +.*MB\)" <<< "$output" || { echo "$l: no image size" >&2; return 1; }
	done
}

@test "scrc run --lang c SOURCE --test IN:OUT prints a table" {
	printf '2 3\n' > "$T/in1"
	printf '5\n' > "$T/out1"
	printf '4 4\n' > "$T/in2"
	printf '9\n' > "$T/out2"
	run "$SCRC" run --lang c "$PROG/c/ok.c" --test "$T/in1:$T/out1"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *status* ]]
	[[ "$output" =~ (^|$'\n')1\ +OK ]]
	[[ "$output" =~ (^|$'\n')all\ +OK ]]
	run "$SCRC" run --lang c "$PROG/c/ok.c" --test "$T/in1:$T/out1" --test "$T/in2:$T/out2"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ (^|$'\n')2\ +WA ]]
	[[ "$output" =~ (^|$'\n')all\ +WA ]]
}
