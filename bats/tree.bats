#!/usr/bin/env bats
# tree.bats - an uninstalled scrc runs from its build tree: with neither
# SCRC_LANG_DIR nor SCRC_BOX set it finds the tree's lang/ (in the source
# directory, which may differ from the build directory) and the scrc-box
# built beside it, through the marker `make` writes (src/conf.c,
# conf_tree_find); a copy of the binary elsewhere does not, and every error
# about a missing profile directory or helper names the setting to change.
#
# Needs $SCRC (the built scrc, as "make check-integration" sets it), a
# Docker daemon and the scrc/python image ("make images").

load helpers

setup() {
	if [ -z "${SCRC:-}" ] || [ ! -x "$SCRC" ]; then
		echo "SCRC must name the built scrc binary (make check-integration sets it)" >&2
		return 1
	fi
	builddir=$(cd "$(dirname "$SCRC")" && pwd -P)
	# What scrc reports: the canonical path, however configure was invoked.
	lang_dir=$(cd "$(repo_root)/lang" && pwd -P)
	tmp=$(mktemp -d)
	# What a new user's shell has: none of the paths the suite exports.
	unset SCRC_LANG_DIR SCRC_BOX SCRC_SECCOMP
}

teardown() {
	rm -rf "$tmp"
}

# every_start_fails NAME=VALUE TEXT: each way of starting scrc, with that
# setting in its environment, exits non-zero and says TEXT.
every_start_fails() {
	local cmd
	for cmd in "run /dev/null" "worker" "--check-config" "--self-test"; do
		run env "$1" "$SCRC" $cmd
		[ "$status" -ne 0 ] || { echo "$cmd: exit 0" >&2; return 1; }
		[[ "$output" == *"$2"* ]] || { echo "$cmd: $output" >&2; return 1; }
	done
}

@test "the built scrc, no paths set, shows its tree's profiles and helper" {
	require_docker
	run "$SCRC" --check-config
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[[ "$output" == *"SCRC_LANG_DIR=$lang_dir"* ]] ||
		{ echo "$output" | grep SCRC_LANG_DIR >&2; return 1; }
	[[ "$output" == *"SCRC_BOX=$builddir/scrc-box"* ]] ||
		{ echo "$output" | grep SCRC_BOX >&2; return 1; }
}

@test "the README's ./scrc run - judges a python submission from the build tree" {
	require_docker
	cd "$builddir"
	# The command exactly as README's "Running it" shows it.
	echo '{"id":"1","language":"python","source":"print(int(input())*2)",
	       "tests":[{"input":"21\n","expected_output":"42\n"}]}' | ./scrc run - \
		> "$tmp/r.out" 2> "$tmp/r.err" || { cat "$tmp/r.err" >&2; return 1; }
	expect "$tmp/r" '.status == "OK" and .tests[0].status == "OK"'
}

@test "the built scrc-judge (the worker's judge) judges from the tree, and is no worker" {
	require_docker
	cd "$builddir"
	echo '{"id":"1","language":"python","source":"print(int(input())*2)",
	       "tests":[{"input":"21\n","expected_output":"42\n"}]}' | ./scrc-judge run - \
		> "$tmp/j.out" 2> "$tmp/j.err" || { cat "$tmp/j.err" >&2; return 1; }
	expect "$tmp/j" '.status == "OK" and .tests[0].status == "OK"'
	run ./scrc-judge worker
	[ "$status" -ne 0 ]
	[[ "$output" == *"the worker is scrc"* ]]
}

@test "a wrong answer from the build tree is WA" {
	require_docker
	jq -n '{id: "tree-wa", language: "python", source: "print(41)",
		tests: [{input: "", expected_output: "42\n"}]}' > "$tmp/wa.json"
	judge "$tmp/wa.json"
	expect "$tmp/wa.json" '.status == "WA"'
}

@test "a symlink to the built scrc still finds the tree" {
	require_docker
	ln -s "$SCRC" "$tmp/scrc"
	run "$tmp/scrc" --check-config
	[ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
	[[ "$output" == *"SCRC_LANG_DIR=$lang_dir"* ]]
}

@test "a copy of scrc outside the tree keeps the installed paths" {
	cp "$SCRC" "$tmp/scrc"
	run "$tmp/scrc" --check-config
	[[ "$output" != *"$lang_dir"* ]] || { echo "$output" >&2; return 1; }
	if [ "$status" -ne 0 ]; then
		# Nothing installed here: the error says what to set.
		[[ "$output" == *"language profiles: "*"(set SCRC_LANG_DIR or --lang-dir"* ]] ||
			{ echo "$output" >&2; return 1; }
	fi
}

@test "a missing profile directory names SCRC_LANG_DIR" {
	every_start_fails SCRC_LANG_DIR="$tmp/none" \
		"$tmp/none: No such file or directory (set SCRC_LANG_DIR"
	: > "$tmp/file"
	run env SCRC_LANG_DIR="$tmp/file" "$SCRC" run /dev/null
	[[ "$output" == *"not a directory (set SCRC_LANG_DIR"* ]] || { echo "$output" >&2; return 1; }
	mkdir "$tmp/empty"
	run env SCRC_LANG_DIR="$tmp/empty" SCRC_SECCOMP=engine "$SCRC" run /dev/null
	[[ "$output" == *"SCRC_LANG_DIR"* ]] || { echo "$output" >&2; return 1; }
}

@test "a missing scrc-box names SCRC_BOX" {
	every_start_fails SCRC_BOX="$tmp/no-box" \
		"scrc-box helper $tmp/no-box: No such file or directory (set SCRC_BOX"
}
