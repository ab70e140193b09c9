#!/bin/sh
# Inventory benchmark: bulwark vs Trivy's package listing of the same docker-archive tars.
#   bench/inventory/run.sh BULWARK TRIVY OUTDIR
# Needs the images ref/bookworm:12 and tiny:1 (tests/integration/conftest.py makes them).
set -eu
B=$1; T=$2; OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
docker save ref/bookworm:12 -o "$OUT/bookworm.tar"
if [ ! -f "$OUT/npm5000.tar" ]; then
  rm -rf "$OUT/npmctx"; /usr/bin/python3 "$HERE/make_npm_image.py" "$OUT/npmctx" 5000 tiny:1
  DOCKER_BUILDKIT=0 docker build -q --network none -t bwbench/npm5000:1 "$OUT/npmctx" >/dev/null
  docker save bwbench/npm5000:1 -o "$OUT/npm5000.tar"
fi
# bulwark's layer cache lives in a private XDG_CACHE_HOME: "cold" runs pass --no-cache (every
# byte read, decompressed and digest-checked), "cached" runs are second scans with the cache full.
export XDG_CACHE_HOME="$OUT/xdg-cache"
rm -rf "$XDG_CACHE_HOME" "$OUT/times.txt"
for img in bookworm npm5000; do
  cat "$OUT/$img.tar" >/dev/null   # warm the page cache for both tools alike
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "bulwark $img cold run$i wall=%e s user=%U s sys=%S s rss=%M KB" "$B" image --no-cache \
        --scanners packages --list-packages -f json "$OUT/$img.tar" > "$OUT/$img.bulwark.json" 2>>"$OUT/times.txt" || true
  done
  "$B" image --scanners packages --list-packages -f json "$OUT/$img.tar" >/dev/null 2>&1 || true
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "bulwark $img cached run$i wall=%e s user=%U s sys=%S s rss=%M KB" "$B" image \
        --scanners packages --list-packages -f json "$OUT/$img.tar" > "$OUT/$img.bulwark-cached.json" 2>>"$OUT/times.txt" || true
  done
  cmp -s "$OUT/$img.bulwark.json" "$OUT/$img.bulwark-cached.json" || echo "note: $img cached report differs from the cold one" >>"$OUT/times.txt"
  for i in 1 2 3; do
    rm -rf "$OUT/trivy-cache"
    /usr/bin/time -f "trivy $img run$i wall=%e s user=%U s sys=%S s rss=%M KB" unshare -n "$T" image --input "$OUT/$img.tar" \
        --format cyclonedx --offline-scan --skip-db-update --cache-dir "$OUT/trivy-cache" --quiet \
        > "$OUT/$img.trivy.json" 2>>"$OUT/times.txt" || true
  done
done
grep -E "^(bulwark|trivy|note)" "$OUT/times.txt"
/usr/bin/python3 "$HERE/compare.py" "$OUT"
