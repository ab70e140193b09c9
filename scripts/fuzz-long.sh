#!/usr/bin/env bash
# Long fuzzing runs that grow the committed seed corpora (issue #18; docs/security.md,
# "Fuzzing record").
#   scripts/fuzz-long.sh [SECONDS_PER_HARNESS [HARNESS...]]
# Builds the libFuzzer harnesses of tests/fuzz/ exactly as the fuzz stage of scripts/test.sh
# does (scripts/lib/fuzz.sh), runs each harness (all, or those named) for SECONDS (default
# 600) over its corpus tests/fuzz/corpus/NAME, then merges what it found into that corpus
# with -merge=1 (an input is added only if it brings coverage the corpus lacks; nothing is
# removed). Crashes, leaks, timeouts and OOMs are kept under $BW_FUZZ_CRASH_DIR/NAME/.
# Last, a Markdown table for docs/security.md: harness, runs, execs/s, new corpus files,
# crashes. Exit status 1 when any harness found a crash (the others still run).
# The machine is usually shared: run it as `nice scripts/fuzz-long.sh 600`.
#
# Environment knobs (defaults in brackets):
#   BW_FUZZ_DIR [build-fuzz]  BW_FUZZ_SEED [0: random]  BW_FUZZ_CRASH_DIR [$BW_FUZZ_DIR/crashes]
#   BW_FUZZ_LOG_DIR [$BW_FUZZ_DIR/long-logs]  BW_FUZZ_MERGE [1] (0: leave the corpora alone)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
ROOT=$PWD
# shellcheck source=scripts/lib/fuzz.sh
source scripts/lib/fuzz.sh

SECONDS_PER=${1:-600}
[ $# -gt 0 ] && shift
case $SECONDS_PER in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS_PER_HARNESS [HARNESS...]]" >&2
	exit 2
	;;
esac
FUZZ=${BW_FUZZ_DIR:-build-fuzz}
SEED=${BW_FUZZ_SEED:-0}
CRASHES=${BW_FUZZ_CRASH_DIR:-$FUZZ/crashes}
LOGS=${BW_FUZZ_LOG_DIR:-$FUZZ/long-logs}
MERGE=${BW_FUZZ_MERGE:-1}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

command -v clang >/dev/null 2>&1 || {
	echo "fuzz-long: clang is needed" >&2
	exit 2
}

# Build: the test.sh configuration, but only the harnesses (not the CLI).
echo "fuzz-long: building the harnesses in $FUZZ" >&2
if ! bw_fuzz_setup "$FUZZ" >"$ROOT/.build-fuzz-long.log" 2>&1; then
	cat "$ROOT/.build-fuzz-long.log" >&2
	exit 2
fi
mapfile -t all < <(bw_fuzz_harnesses "$FUZZ" "$PY")
targets=()
for h in "${all[@]}"; do targets+=("$(realpath --relative-to="$FUZZ" "$h")"); done
if ! ninja -C "$FUZZ" "${targets[@]}" >>"$ROOT/.build-fuzz-long.log" 2>&1; then
	cat "$ROOT/.build-fuzz-long.log" >&2
	exit 2
fi
rm -f "$ROOT/.build-fuzz-long.log"

# Which harnesses: those named, else all.
harnesses=()
if [ $# -gt 0 ]; then
	for want in "$@"; do
		found=""
		for h in "${all[@]}"; do
			case $(basename "$h") in "$want" | "fuzz_$want") found=$h ;; esac
		done
		if [ -z "$found" ]; then
			echo "fuzz-long: no harness '$want' (have: $(for h in "${all[@]}"; do basename "$h"; done | tr '\n' ' '))" >&2
			exit 2
		fi
		harnesses+=("$found")
	done
else
	harnesses=("${all[@]}")
fi

mkdir -p "$LOGS" "$CRASHES"
stat_of() { sed -n "s/^stat::$1: *\([0-9]*\).*/\1/p" "$2" | tail -n 1; }
rows=()
status=0
for h in "${harnesses[@]}"; do
	name=$(basename "$h")
	corpus=$(bw_fuzz_corpus "$name")
	if [ -z "$corpus" ]; then
		corpus=tests/fuzz/corpus/$name
		mkdir -p "$corpus"
	fi
	dict=()
	d=$(bw_fuzz_dict "$name")
	[ -n "$d" ] && dict=("$d")
	mkdir -p "$CRASHES/$name"
	scratch=$(mktemp -d)
	log=$LOGS/$name.log
	before=$(find "$corpus" -maxdepth 1 -type f | wc -l)
	crashes_before=$(find "$CRASHES/$name" -maxdepth 1 -type f | wc -l)
	echo "fuzz-long: $name (${SECONDS_PER}s over $corpus, log $log)" >&2
	"$h" -max_total_time="$SECONDS_PER" -seed="$SEED" "${BW_FUZZ_RUN_ARGS[@]}" \
		-artifact_prefix="$CRASHES/$name/" -print_final_stats=1 \
		"${dict[@]}" "$scratch" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(stat_of number_of_executed_units "$log")
	eps=$(stat_of average_exec_per_sec "$log")
	# Only the inputs that add coverage to the committed corpus are kept, named by their
	# SHA-1 (libFuzzer's merge); the corpus's own files stay.
	if [ "$MERGE" = 1 ] && [ -n "$(ls -A "$scratch")" ]; then
		"$h" -merge=1 "${BW_FUZZ_RUN_ARGS[@]}" "$corpus" "$scratch" >"$LOGS/$name.merge.log" 2>&1 ||
			echo "fuzz-long: $name: merge failed, see $LOGS/$name.merge.log" >&2
	fi
	rm -rf "$scratch"
	after=$(find "$corpus" -maxdepth 1 -type f | wc -l)
	found=$(($(find "$CRASHES/$name" -maxdepth 1 -type f | wc -l) - crashes_before))
	if [ "$rc" -ne 0 ]; then
		status=1
		[ "$found" -eq 0 ] && found="exit $rc"
		tail -n 30 "$log" >&2
	fi
	[ "$found" = 0 ] || echo "fuzz-long: $name: finding under $CRASHES/$name/" >&2
	rows+=("| $name | ${runs:-?} | ${eps:-?} | $((after - before)) | $found |")
done

echo "fuzz-long: $(date -u +%Y-%m-%d), ${SECONDS_PER}s per harness, seed $SEED, $(clang --version | head -n 1)"
echo
echo "| harness | runs | execs/s | new corpus files | crashes |"
echo "|---|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
exit $status
