#!/usr/bin/env bash
# The whole test suite (README's second command; .ci/run calls it). Debian 12, as root.
#   1. install the Debian packages of deps/debian-packages.txt
#   1b. static checks: every scripts/check-*.{sh,py} (module floors, formatting, …)
#   2. build build/ (release, --werror) and build-asan/ (ASan+UBSan, debug, --werror)
#   3. start a real Docker Engine if none answers (stopped again at exit)
#   4. unit tests:        meson test -C build-asan
#   5. integration tests: pytest tests/integration against the ASan binary
#   6. fuzz:              clang libFuzzer build, each tests/fuzz harness briefly
# At the end, the captured output of each failed test (meson's log of a unit test, pytest's
# report of an integration test; a fuzz log's tail is printed where it fails), then the
# failures one a line. Last line: "N passed, M failed, K skipped"; exit status non-zero on
# any failure.
#
# Under CI (BW_CI=1; .ci/run sets it) a suite of tests/required-suites.txt that ran no test
# — all of its tests skipped, or none collected — is a failure naming it and the reasons.
#
# Environment knobs (defaults in brackets):
#   BW_BUILD_DIR [build]  BW_ASAN_DIR [build-asan]  BW_FUZZ_DIR [build-fuzz]
#   BW_FUZZ_SECONDS [20]  BW_FUZZ_SEED [1]  BW_SKIP_FUZZ [0]  BW_PYTEST_ARGS [] (extra pytest arguments)
#   BW_KEEP_ENGINE [0]    leave an engine this script started running
#   BW_CI [0]             1: enforce tests/required-suites.txt
#   BW_LONG [0]           1: also the tests that build bulwark's .deb, container image and
#                         static binary (minutes; docs/install.md); without it, their cheap ones
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
source scripts/lib/engine.sh
source scripts/lib/fuzz.sh

BUILD=${BW_BUILD_DIR:-build}
ASAN=${BW_ASAN_DIR:-build-asan}
FUZZ=${BW_FUZZ_DIR:-build-fuzz}
FUZZ_SECONDS=${BW_FUZZ_SECONDS:-20}
# A fixed seed keeps the CI smoke run reproducible; set BW_FUZZ_SEED=0 for a random one
# (and a larger BW_FUZZ_SECONDS) when hunting.
FUZZ_SEED=${BW_FUZZ_SEED:-1}
PY=/usr/bin/python3 # Debian's python: python3-apt, python3-rpm live there
[ -x "$PY" ] || PY=python3

passed=0 failed=0 skipped=0
failures=()
started=$(date +%s)

note() { printf '\n=== %s\n' "$*" >&2; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "FAIL: $1" >&2; }
# Captured output of failed tests, one file each (testresults.py writes them).
FAILDIR=""
finish() {
	local rc=0
	bw_engine_stop
	if [ -n "$FAILDIR" ] && compgen -G "$FAILDIR/*.txt" >/dev/null; then
		note "output of the failed tests"
		for f in "$FAILDIR"/*.txt; do
			cat "$f" >&2
			echo >&2
		done
	fi
	note "summary ($(($(date +%s) - started)) s)"
	if [ ${#failures[@]} -gt 0 ]; then
		printf '  failed: %s\n' "${failures[@]}" >&2
		rc=1
	fi
	echo "$passed passed, $failed failed, $skipped skipped"
	return $rc
}
trap 'bw_engine_stop' EXIT
trap 'bw_engine_stop; exit 130' INT TERM

# --- 1. dependencies --------------------------------------------------------------
note "dependencies"
if ! bash scripts/install-deps.sh; then
	fail "install-deps"
	finish
	exit 1
fi

# --- 1b. static checks --------------------------------------------------------------
# Each scripts/check-* is one test of the summary: the module floors of
# ARCHITECTURE.md (check-layers.py), .clang-format (check-format.sh), …
for chk in scripts/check-*; do
	name=$(basename "$chk")
	note "static check $name"
	case "$chk" in
	*.py) "$PY" "$chk" ;;
	*) bash "$chk" ;;
	esac
	if [ $? -eq 0 ]; then passed=$((passed + 1)); else fail "static check $name"; fi
done

# --- 2. builds --------------------------------------------------------------------
# meson setup, or reconfigure when the directory exists with other options.
setup() {
	local dir=$1
	shift
	if [ -f "$dir/meson-private/coredata.dat" ]; then
		meson setup --reconfigure "$dir" "$@"
	else
		meson setup "$dir" "$@"
	fi
}
build() {
	local dir=$1 name=$2
	shift 2
	note "build $name ($dir)"
	if setup "$dir" "$@" >"$ROOT/.build-$name.log" 2>&1 && ninja -C "$dir" >>"$ROOT/.build-$name.log" 2>&1; then
		rm -f "$ROOT/.build-$name.log"
		return 0
	fi
	cat "$ROOT/.build-$name.log" >&2
	rm -f "$ROOT/.build-$name.log"
	fail "build $name"
	return 1
}

build_ok=1
build "$BUILD" release -Dbuildtype=release --werror || build_ok=0
build "$ASAN" asan -Dbuildtype=debug -Db_sanitize=address,undefined --werror || build_ok=0
if [ $build_ok = 0 ]; then
	finish
	exit 1
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# --- 3. engine --------------------------------------------------------------------
LOGDIR=$ROOT/$BUILD/test-logs
FAILDIR=$LOGDIR/failed
mkdir -p "$LOGDIR"
rm -rf "$FAILDIR"
note "Docker Engine"
if bw_engine_start "$LOGDIR"; then
	export BW_TEST_DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}
else
	fail "start Docker Engine"
fi

# --- 4. unit tests ----------------------------------------------------------------
note "unit tests (meson test -C $ASAN)"
rm -f "$ASAN/meson-logs/testlog.json"
meson test -C "$ASAN" --print-errorlogs
unit_rc=$?
if [ -f "$ASAN/meson-logs/testlog.json" ]; then
	mapfile -t ur < <("$PY" scripts/lib/testresults.py unit "$ASAN/meson-logs/testlog.json" "$FAILDIR")
	read -r up uf us <<<"${ur[0]}"
	passed=$((passed + up)) skipped=$((skipped + us))
	for name in "${ur[@]:1}"; do fail "unit $name"; done
	[ "$unit_rc" -ne 0 ] && [ "$uf" -eq 0 ] && fail "meson test exited $unit_rc"
elif [ "$unit_rc" -ne 0 ]; then
	fail "meson test exited $unit_rc"
fi

# --- 5. integration tests ---------------------------------------------------------
note "integration tests (pytest tests/integration)"
export BULWARK=$ROOT/$ASAN/src/cli/bulwark
export BULWARK_RELEASE=$ROOT/$BUILD/src/cli/bulwark
export BW_TEST_CACHE=${BW_TEST_CACHE:-$ROOT/$BUILD/test-cache}
junit=$ROOT/$BUILD/test-logs/pytest.xml
rm -f "$junit"
# shellcheck disable=SC2086
"$PY" -m pytest tests/integration -p no:cacheprovider -rfEs --junitxml="$junit" ${BW_PYTEST_ARGS:-}
py_rc=$?
if [ -f "$junit" ]; then
	mapfile -t jr < <("$PY" scripts/lib/testresults.py integration "$junit" "$FAILDIR")
	read -r ip if is <<<"${jr[0]}"
	passed=$((passed + ip)) skipped=$((skipped + is))
	for name in "${jr[@]:1}"; do fail "integration $name"; done
	[ "$py_rc" -ne 0 ] && [ "$py_rc" -ne 5 ] && [ "$if" -eq 0 ] && fail "pytest exited $py_rc"
elif [ "$py_rc" -ne 5 ]; then
	fail "pytest exited $py_rc"
fi

# --- required suites --------------------------------------------------------------
# On CI, a suite that ran before and is now all skipped (an engine, a tool or the
# network gone from the machine) must not pass unnoticed.
if [ "${BW_CI:-0}" = 1 ]; then
	note "required suites (tests/required-suites.txt)"
	if ! rq=$("$PY" scripts/lib/testresults.py required tests/required-suites.txt \
		"$ASAN/meson-logs/testlog.json" "$junit"); then
		fail "required suites: scripts/lib/testresults.py failed"
	fi
	while IFS= read -r line; do
		case $line in
		"") ;;
		note:*) echo "$line" >&2 ;;
		*) fail "required suite $line" ;;
		esac
	done <<<"$rq"
fi

# --- 6. fuzz ----------------------------------------------------------------------
# Harnesses: every executable defined under tests/fuzz/. A seed corpus for harness NAME
# is tests/fuzz/corpus/NAME/ (also tried: NAME without a fuzz-/fuzz_ prefix); a
# dictionary tests/fuzz/NAME.dict is passed when present (scripts/lib/fuzz.sh, shared with
# scripts/fuzz-long.sh, which runs the same build for longer and grows the corpora).
if [ "${BW_SKIP_FUZZ:-0}" = 1 ]; then
	note "fuzz: skipped (BW_SKIP_FUZZ=1)"
elif ! command -v clang >/dev/null 2>&1; then
	note "fuzz: skipped (no clang)"
elif [ ! -f tests/fuzz/meson.build ]; then
	note "fuzz: skipped (no tests/fuzz/meson.build yet)"
else
	note "fuzz build ($FUZZ)"
	if CC=clang build "$FUZZ" fuzz "${BW_FUZZ_SETUP_ARGS[@]}"; then
		mapfile -t harnesses < <(bw_fuzz_harnesses "$FUZZ" "$PY")
		# One harness per core at a time: each still gets its FUZZ_SECONDS of one core, and
		# the stage takes 1/nproc of the wall time. Logs are read after each batch, in order.
		jobs_max=$(nproc 2>/dev/null || echo 1)
		i=0
		while [ "$i" -lt ${#harnesses[@]} ]; do
			batch=("${harnesses[@]:i:jobs_max}")
			i=$((i + jobs_max))
			pids=()
			scratches=()
			for h in "${batch[@]}"; do
				name=$(basename "$h")
				corpus=()
				c=$(bw_fuzz_corpus "$name")
				[ -n "$c" ] && corpus=("$c")
				dict=()
				d=$(bw_fuzz_dict "$name")
				[ -n "$d" ] && dict=("$d")
				scratch=$(mktemp -d)
				scratches+=("$scratch")
				note "fuzz $name (${FUZZ_SECONDS}s${corpus:+, seeds ${corpus[0]}})"
				"$h" -max_total_time="$FUZZ_SECONDS" -seed="$FUZZ_SEED" "${BW_FUZZ_RUN_ARGS[@]}" \
					-artifact_prefix="$ROOT/$FUZZ/crash-$name-" -print_final_stats=1 \
					"${dict[@]}" "$scratch" "${corpus[@]}" >"$ROOT/$FUZZ/$name.log" 2>&1 &
				pids+=($!)
			done
			for k in "${!batch[@]}"; do
				name=$(basename "${batch[k]}")
				if wait "${pids[k]}"; then
					passed=$((passed + 1))
					tail -n 3 "$ROOT/$FUZZ/$name.log" >&2
				else
					tail -n 60 "$ROOT/$FUZZ/$name.log" >&2
					fail "fuzz $name (artifact under $FUZZ/crash-$name-*)"
				fi
			done
			rm -rf "${scratches[@]}"
		done
		[ ${#harnesses[@]} -eq 0 ] && note "fuzz: no harnesses defined yet"
	fi
fi

finish
exit $?
