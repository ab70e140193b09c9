#!/bin/sh
# Path classification (inv_classify, run by the walker for every regular file of every
# layer): two builds side by side on the same path listing, in the same run.
#   bench/inventory/classify.sh OLD_BUILD NEW_BUILD PATHS [REPS]
# PATHS: "MODE SIZE PATH" lines (bench/inventory/classify_paths.py). Each build's
# libbulwark.a is linked into classify_bench; the two are run in turn, three times each.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OLD=$1; NEW=$2; PATHS=$3; REPS=${4:-300}
LIBS=$(pkg-config --libs libarchive jansson libcurl libcrypto libssl sqlite3 libzstd libisal yaml-0.1 \
	libpcre2-8 libhs libzip rpm)
for b in "$OLD" "$NEW"; do
	cc -O2 -std=c17 -D_GNU_SOURCE -I"$ROOT/src" -o "$b/classify_bench" "$ROOT/bench/inventory/classify_bench.c" \
		"$b/libbulwark.a" $LIBS -lpthread -lm -lstdc++
done
if ! cmp -s "$("$OLD/classify_bench" --print "$PATHS" > "$OLD/classify.out"; echo "$OLD/classify.out")" \
	"$("$NEW/classify_bench" --print "$PATHS" > "$NEW/classify.out"; echo "$NEW/classify.out")"; then
	echo "the two builds classify differently:"; diff "$OLD/classify.out" "$NEW/classify.out" | head -20
	exit 1
fi
for i in 1 2 3; do
	printf 'old: '; "$OLD/classify_bench" "$PATHS" "$REPS"
	printf 'new: '; "$NEW/classify_bench" "$PATHS" "$REPS"
done
