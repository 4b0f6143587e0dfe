#!/usr/bin/env bats
# cli.bats - what a submission costs in docker CLI processes (each is a Go
# program of its own, tens of milliseconds to start): one `docker run -i
# --rm` per box and nothing else on the usual path, none for a build the
# build cache has (and a build stopped by its limits is not kept in it),
# and what happens when the shortcuts that save calls meet
# a changed engine (the helper volume removed behind scrc's back, an image
# rebuilt). Needs the built scrc, a Docker daemon and the gcc, base and
# python images.

load helpers

setup() {
	need_env
	DOCKER=${SCRC_DOCKER:-docker}
	ID="cli-$$-$BATS_TEST_NUMBER"
	tmp=$(mktemp -d "${BATS_TMPDIR:-/tmp}/scrc-cli.XXXXXX")
	# A CLI that notes each call's first word, then runs the real one.
	cat > "$tmp/cli" <<-EOF
	#!/bin/sh
	echo "\$1" >> "$tmp/calls"
	exec $(command -v "$DOCKER") "\$@"
	EOF
	chmod +x "$tmp/cli"
	LIMITS='{limits: {time_limit_ms: 2000, memory_limit_bytes: 67108864},
		tests: [{input: "1 2\n", expected_output: "3\n"}, {input: "5 5\n", expected_output: "10\n"}]}'
	printf 'a, b = map(int, input().split())\nprint(a + b)\n' > "$tmp/sum.py"
	printf '#include <stdio.h>\nint main(void){long a,b;if(scanf("%%ld %%ld",&a,&b)!=2)return 1;printf("%%ld\\n",a+b);return 0;}\n' > "$tmp/sum.c"
}

teardown() {
	rm -rf "$tmp"
}

# image_ids: the engine's images as a worker lists them for its judges.
image_ids() {
	"$DOCKER" images --no-trunc --format '{{.Repository}}:{{.Tag}}={{.ID}}' | tr '\n' ' '
}

# calls_of FILE LANG SRC [STATUS]: judges the submission through the noting
# CLI (with the CLI's kind and the image ids given, as a worker gives them
# to its judges; IDS overrides the ids) and prints the calls it made,
# sorted, one "COUNT VERB" per line. The result must have STATUS (OK).
calls_of() {
	make_sub "$1" "$2" "$3"
	rm -f "$tmp/calls"
	touch "$tmp/calls"
	SCRC_DOCKER="$tmp/cli" SCRC_DOCKER_FLAVOUR=docker SCRC_IMAGE_IDS=${IDS:-$(image_ids)} \
		SCRC_VERBOSE=1 judge "$1" || return 1
	expect "$1" ".status == \"${4:-OK}\"" || return 1
	sort "$tmp/calls" | uniq -c | awk '{print $1, $2}'
}

@test "an interpreted submission costs one docker CLI call, a compiled one two" {
	# The first judge of this scrc-box may check or fill its volume.
	make_sub "$tmp/warm.json" python "$tmp/sum.py"
	judge "$tmp/warm.json"
	run calls_of "$tmp/py.json" python "$tmp/sum.py"
	[ "$status" -eq 0 ]
	echo "python: $output"
	[ "$output" = "1 run" ]
	run calls_of "$tmp/c.json" c "$tmp/sum.c"
	[ "$status" -eq 0 ]
	echo "c: $output"
	[ "$output" = "2 run" ]
	no_containers_left
}

@test "without a worker to say so, a judge asks the CLI its kind once" {
	make_sub "$tmp/py.json" python "$tmp/sum.py"
	rm -f "$tmp/calls"
	SCRC_DOCKER="$tmp/cli" judge "$tmp/py.json"
	expect "$tmp/py.json" '.status == "OK"'
	[ "$(grep -c -- '^--version$' "$tmp/calls")" -eq 1 ]
	[ "$(grep -c '^run$' "$tmp/calls")" -eq 1 ]
}

@test "without a worker to list them, a judge lists the images once for its build cache" {
	# The second time the listing found gcc's image: the resubmission is not built.
	for want_runs in 2 1; do
		make_sub "$tmp/c$want_runs.json" c "$tmp/sum.c"
		rm -f "$tmp/calls"
		SCRC_DOCKER="$tmp/cli" SCRC_DOCKER_FLAVOUR=docker judge "$tmp/c$want_runs.json"
		expect "$tmp/c$want_runs.json" '.status == "OK"'
		[ "$(grep -c '^images$' "$tmp/calls")" -eq 1 ]
		[ "$(grep -c '^run$' "$tmp/calls")" -eq "$want_runs" ]
	done
}

@test "a resubmission is not built again, a compile error resubmitted starts no box, a rebuilt image builds again" {
	run calls_of "$tmp/c1.json" c "$tmp/sum.c"
	[ "$status" -eq 0 ]
	echo "c, first: $output"
	[ "$output" = "2 run" ]
	expect "$tmp/c1.json" '.build.cached == false and .build.cpu_time_ms > 0 and
		.build.duration_ms > 0 and .build.memory_bytes > 0'
	# The same source again (another id, other limits its build never saw).
	LIMITS='{limits: {time_limit_ms: 3000, memory_limit_bytes: 134217728},
		tests: [{input: "2 2\n", expected_output: "4\n"}]}'
	run calls_of "$tmp/c2.json" c "$tmp/sum.c"
	[ "$status" -eq 0 ]
	echo "c, again: $output"
	[ "$output" = "1 run" ]
	grep -q 'build: cache hit .* (c, built)' "$tmp/c2.json.err"
	expect "$tmp/c2.json" '.build == {cached: true, duration_ms: 0, cpu_time_ms: 0, memory_bytes: 0}'
	expect "$tmp/c2.json" '[.tests[].status] == ["OK"]'

	printf 'int main(void) { return missing_function(); }\n' > "$tmp/ce.c"
	run calls_of "$tmp/ce1.json" c "$tmp/ce.c" BF
	[ "$status" -eq 0 ]
	[ "$output" = "2 run" ]
	run calls_of "$tmp/ce2.json" c "$tmp/ce.c" BF
	[ "$status" -eq 0 ]
	echo "compile error, again: '$output'"
	[ "$output" = "" ]
	expect "$tmp/ce2.json" '.build.cached == true'
	# The same answer, the compiler's words included.
	jq -S 'del(.id, .timestamp, .worker, .build)' "$tmp/ce1.json.out" > "$tmp/ce1.cmp"
	jq -S 'del(.id, .timestamp, .worker, .build)' "$tmp/ce2.json.out" > "$tmp/ce2.cmp"
	diff "$tmp/ce1.cmp" "$tmp/ce2.cmp"
	expect "$tmp/ce2.json" '.stderr | test("missing_function")'

	# The images rebuilt (new ids under the same names): built again.
	IDS=$(image_ids | sed 's/=sha256:/=sha256:0/g')
	run calls_of "$tmp/c3.json" c "$tmp/sum.c"
	[ "$status" -eq 0 ]
	[ "$output" = "2 run" ]
	# And with the build cache off, every time.
	unset IDS
	SCRC_BUILD_CACHE=0 run calls_of "$tmp/c4.json" c "$tmp/sum.c"
	[ "$status" -eq 0 ]
	[ "$output" = "2 run" ]
	no_containers_left
}

@test "a build stopped by its limits is not cached: the same source is built again" {
	# cc1 reads /dev/zero until the build's memory limit stops it: a failure
	# a quieter or bigger host might not see, so no answer to keep.
	printf '#include "/dev/zero"\nint main(void) { return 0; }\n' > "$tmp/zero.c"
	make_sub "$tmp/warm.json" python "$tmp/sum.py"	# the helper volume filled
	judge "$tmp/warm.json"
	for i in 1 2; do
		run calls_of "$tmp/z$i.json" c "$tmp/zero.c" BF
		[ "$status" -eq 0 ]
		echo "build out of memory, submission $i: '$output'"
		[ "$output" = "2 run" ]
		expect "$tmp/z$i.json" '.reason | test("build ran out of memory")'
	done
	! grep -q 'build: cache hit' "$tmp/z2.json.err"
	no_containers_left
}

@test "a helper volume removed between submissions is filled again, the submission judged" {
	make_sub "$tmp/a.json" python "$tmp/sum.py"
	judge "$tmp/a.json"
	expect "$tmp/a.json" '.status == "OK"'
	vols=$("$DOCKER" volume ls -q --filter label=scrc.box=1)
	[ -n "$vols" ]
	# Ours is in use by no box now; another judge's may be, and stays.
	removed=0
	for v in $vols; do
		"$DOCKER" volume rm "$v" >/dev/null 2>&1 && removed=$((removed + 1))
	done
	[ "$removed" -ge 1 ]
	make_sub "$tmp/b.json" python "$tmp/sum.py"
	SCRC_VERBOSE=1 judge "$tmp/b.json"
	expect "$tmp/b.json" '.status == "OK" and ([.tests[].status] == ["OK", "OK"])'
	grep -q 'filling it again' "$tmp/b.json.err"
	# And the next one takes the shortcut again.
	run calls_of "$tmp/c.json" python "$tmp/sum.py"
	[ "$status" -eq 0 ]
	[ "$output" = "1 run" ]
	no_containers_left
}
