#!/bin/sh
# Vulnerability benchmark:
#   bench/vuln/run.sh BULWARK BUILDDIR TRIVY OUTDIR
# 1. import of every advisory under ../shared/data (OSV archives extracted first, DSA/DLA
#    lists, Alpine secdb, KEV, EPSS): wall time, peak RSS, database size;
# 2. matching 1,000 packages (match_bench, built here against BUILDDIR/libbulwark.a);
# 3. a whole vulnerability scan of the debootstrap image ref/bookworm:12 (88 packages)
#    and of the edited Alpine 3.9.6 image, including opening the database;
# 4. Trivy on the same bookworm archive: it cannot download its database here, so only
#    its offline package listing is timed (the step that precedes its matching).
# Needs ref/bookworm:12 and bw-vuln/alpine-old:1 (tests/integration make them).
set -eu
B=$1; BUILD=$2; T=$3; OUT=$4
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SHARED=${BW_SHARED_DATA:-$ROOT/../shared/data}
mkdir -p "$OUT"
: > "$OUT/times.txt"

# 1. import
rm -rf "$OUT/osv" "$OUT/bench.db"*
mkdir -p "$OUT/osv"
for a in "$SHARED"/osv/*/*.tar.zst; do tar --zstd -C "$OUT/osv" -xf "$a"; done
/usr/bin/time -f "import wall=%e s user=%U s rss=%M KB" "$B" db import --db "$OUT/bench.db" -f json \
    "$OUT/osv" "$SHARED/debian-tracker" "$SHARED/alpine-secdb" "$SHARED/kev" "$SHARED/epss" \
    > "$OUT/import.json" 2>>"$OUT/times.txt"
echo "import db_size=$(stat -c %s "$OUT/bench.db") bytes" >> "$OUT/times.txt"
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('import records=%d inserted=%d skipped=%d affected_dropped=%d kev=%d epss=%d seconds=%.2f' % (d['records'], d['inserted'], d['skipped'], d['affected_skipped'], d['kev'], d['epss'], d['seconds']))" "$OUT/import.json" >> "$OUT/times.txt"
/usr/bin/time -f "reimport wall=%e s (idempotent: every record unchanged)" "$B" db import --db "$OUT/bench.db" \
    "$OUT/osv" > /dev/null 2>>"$OUT/times.txt"

# 2. matching 1,000 packages
cc -O2 -D_GNU_SOURCE -I"$ROOT/src" "$HERE/match_bench.c" "$BUILD/libbulwark.a" \
   $(pkg-config --libs libarchive jansson libcurl libcrypto libssl sqlite3 libzstd libisal yaml-0.1 libpcre2-8 libhs libzip) \
   -lpthread -lm -o "$OUT/match_bench"
"$OUT/match_bench" "$OUT/bench.db" 1000 21 >> "$OUT/times.txt"
"$OUT/match_bench" "$OUT/bench.db" 1000 21 references >> "$OUT/times.txt"
/usr/bin/time -f "match_bench cpu user=%U s sys=%S s for 21 runs" "$OUT/match_bench" "$OUT/bench.db" 1000 21 \
    > /dev/null 2>>"$OUT/times.txt"

# 3. whole scans
docker save ref/bookworm:12 -o "$OUT/bookworm.tar"
docker save bw-vuln/alpine-old:1 -o "$OUT/alpine-old.tar" 2>/dev/null || true
for img in bookworm alpine-old; do
  [ -f "$OUT/$img.tar" ] || continue
  cat "$OUT/$img.tar" > /dev/null
  for i in 1 2 3; do
    /usr/bin/time -f "bulwark scan $img vuln run$i wall=%e s user=%U s rss=%M KB" "$B" image --db "$OUT/bench.db" \
        --scanners vuln -f json "$OUT/$img.tar" > "$OUT/$img.vuln.json" 2>>"$OUT/times.txt"
  done
  for i in 1 2 3; do
    /usr/bin/time -f "bulwark scan $img all-scanners run$i wall=%e s user=%U s rss=%M KB" "$B" image \
        --db "$OUT/bench.db" -f json "$OUT/$img.tar" > "$OUT/$img.all.json" 2>>"$OUT/times.txt" || true
  done
done

# 4. Trivy: offline package listing only (no vulnerability DB can be downloaded here)
for i in 1 2 3; do
  rm -rf "$OUT/trivy-cache"
  /usr/bin/time -f "trivy bookworm package-listing run$i wall=%e s rss=%M KB" unshare -n "$T" image \
      --input "$OUT/bookworm.tar" --format cyclonedx --offline-scan --skip-db-update \
      --cache-dir "$OUT/trivy-cache" --quiet > "$OUT/bookworm.trivy.json" 2>>"$OUT/times.txt" || true
done
cat "$OUT/times.txt"
