#!/bin/sh
# Layer cache: cold scan vs cached (second) scan of the same image archive, with a
# private XDG_CACHE_HOME. Usage: bench/cache/run.sh [BULWARK] [ARCHIVE] [RUNS]
#   BULWARK  default build/src/cli/bulwark (use a release or debugoptimized build)
#   ARCHIVE  default: `docker save ref/bookworm:12` (the debootstrap image of the tests)
# Prints, per scanner set: the cold time, then the median of RUNS cached runs.
set -eu
B=${1:-build/src/cli/bulwark}
A=${2:-}
RUNS=${3:-11}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if [ -z "$A" ]; then
	A=$T/bookworm.tar
	docker save ref/bookworm:12 -o "$A"
fi
export XDG_CACHE_HOME=$T/xdg
now() { date +%s.%N; }
run() { # label, args...
	label=$1; shift
	rm -rf "$XDG_CACHE_HOME"
	sync
	t0=$(now); "$B" image -q -f json "$@" "$A" >/dev/null; t1=$(now)
	cold=$(echo "$t1 - $t0" | bc)
	: >"$T/times"
	i=0
	while [ $i -lt "$RUNS" ]; do
		t0=$(now); "$B" image -q -f json "$@" "$A" >/dev/null; t1=$(now)
		echo "$t1 - $t0" | bc >>"$T/times"
		i=$((i + 1))
	done
	med=$(sort -n "$T/times" | sed -n "$(( (RUNS + 1) / 2 ))p")
	t0=$(now); "$B" image -q -f json --no-cache "$@" "$A" >/dev/null; t1=$(now)
	nc=$(echo "$t1 - $t0" | bc)
	printf '%-32s cold %6.3f s   cached (median of %d) %6.3f s   --no-cache %6.3f s\n' "$label" "$cold" "$RUNS" "$med" "$nc"
}
ls -l "$A" | awk '{print "archive: " $NF ", " $5 " bytes"}'
run "packages (--list-packages)" --scanners packages --list-packages
run "config" --scanners config
run "packages,secret,config" --scanners packages,secret,config --list-packages
"$B" cache info
