# shellcheck shell=bash
# The libFuzzer build and harness conventions shared by scripts/test.sh (its short CI fuzz
# stage) and scripts/fuzz-long.sh (long runs that grow the committed corpora). Source it
# from the repository root.
#
# The build: clang, the whole library instrumented, ASan+UBSan. No --werror: gcc's -Werror
# builds are the warning gate; clang's -Wformat=2 differs, and a warning must not cost a
# fuzz run.
# shellcheck disable=SC2054 # meson -D options, not array separators
BW_FUZZ_SETUP_ARGS=(-Dfuzz=true -Dtests=false -Dbuildtype=debugoptimized
	-Db_sanitize=address,undefined -Db_lundef=false)
# The libFuzzer options of every run (time, seed, corpus and artifacts come on top).
# shellcheck disable=SC2034 # used by the scripts that source this file
BW_FUZZ_RUN_ARGS=(-timeout=10 -rss_limit_mb=2048)

# bw_fuzz_setup DIR: meson setup of the fuzz build in DIR, or reconfigure when DIR exists.
bw_fuzz_setup() {
	local dir=$1
	if [ -f "$dir/meson-private/coredata.dat" ]; then
		CC=clang meson setup --reconfigure "$dir" "${BW_FUZZ_SETUP_ARGS[@]}"
	else
		CC=clang meson setup "$dir" "${BW_FUZZ_SETUP_ARGS[@]}"
	fi
}

# bw_fuzz_harnesses DIR [PYTHON]: the path of every harness built in DIR, one a line
# (every executable defined under tests/fuzz/).
bw_fuzz_harnesses() {
	meson introspect --targets "$1" | "${2:-python3}" -c '
import json, sys
for t in json.load(sys.stdin):
    if t["type"] == "executable" and "/tests/fuzz/" in t["defined_in"]:
        for f in t["filename"]:
            print(f)'
}

# bw_fuzz_corpus NAME: the seed corpus directory of harness NAME, tests/fuzz/corpus/NAME
# (also tried: NAME without a fuzz-/fuzz_ prefix); prints nothing when there is none.
bw_fuzz_corpus() {
	local name=$1 c
	for c in "tests/fuzz/corpus/$name" "tests/fuzz/corpus/${name#fuzz-}" "tests/fuzz/corpus/${name#fuzz_}"; do
		if [ -d "$c" ]; then
			echo "$c"
			return 0
		fi
	done
}

# bw_fuzz_dict NAME: "-dict=tests/fuzz/NAME.dict" when that dictionary exists.
bw_fuzz_dict() {
	[ -f "tests/fuzz/$1.dict" ] && echo "-dict=tests/fuzz/$1.dict"
	return 0
}
