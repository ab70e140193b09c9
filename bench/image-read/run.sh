#!/usr/bin/env bash
# Image-reader benchmark (issue 2): read a ~1 GiB image of gzip layers with bulwark and,
# in the same run, with the peers' pipelines; print a Markdown section for
# bench/RESULTS.md ("## Image reader").
#
#   bash bench/image-read/run.sh [WORKDIR]        (Debian 12, as root; default build-bench)
#
# BULWARK=path selects the binary (default: build/src/cli/bulwark, built release here).
# BENCH_MB (default 800) sets the generated content added on top of the Debian rootfs,
# spread over BENCH_LAYERS (default 4) layers. BENCH_RUNS (default 3) bulwark runs; the
# median is reported.
#
# Measured (all on the same image, warm page cache):
#   bulwark image files oci:DIR (gzip layers; every blob digest and diff_id verified):
#     wall time, MB/s of uncompressed layer content, MB/s per core, peak RSS (time -v)
#   bulwark image files docker-archive:TAR (the `docker save` tar, uncompressed layers)
#   docker save IMG | tar -x -C TMP
#   skopeo copy docker-archive:TAR oci:TMP:1 && umoci unpack --image TMP:1 BUNDLE
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
source scripts/lib/engine.sh

WORK=$(realpath -m "${1:-build-bench}")
MB=${BENCH_MB:-800}
LAYERS=${BENCH_LAYERS:-4}
RUNS=${BENCH_RUNS:-3}
TAG=bwbench/image-read:1
CACHE=$ROOT/build/test-cache # shared with the integration tests' debian_rootfs fixture
mkdir -p "$WORK" "$CACHE"

bash scripts/install-deps.sh

if [ -z "${BULWARK:-}" ]; then
	if [ -f build/meson-private/coredata.dat ]; then
		meson setup --reconfigure build -Dbuildtype=release >/dev/null
	else
		meson setup build -Dbuildtype=release >/dev/null
	fi
	ninja -C build >/dev/null
	BULWARK=$ROOT/build/src/cli/bulwark
fi

trap 'bw_engine_stop' EXIT
bw_engine_start "$WORK"

source bench/image-read/image.sh

rm -rf "$WORK/image.tar" "$WORK/oci"
bw_docker save -o "$WORK/image.tar" "$TAG"
skopeo copy --quiet "docker-archive:$WORK/image.tar" "oci:$WORK/oci:1"

# Uncompressed content = sum of layer tar sizes (their digests are the diff_ids).
read -r UNCOMP COMP NLAYERS < <(/usr/bin/python3 - "$WORK/oci" <<'PY'
import json, sys, os, gzip, zlib
d = sys.argv[1]
idx = json.load(open(f"{d}/index.json"))
m = json.load(open(f"{d}/blobs/sha256/" + idx["manifests"][0]["digest"].split(":")[1]))
comp = sum(l["size"] for l in m["layers"])
unc = 0
for l in m["layers"]:
    z = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with open(f"{d}/blobs/sha256/" + l["digest"].split(":")[1], "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            unc += len(z.decompress(b))
print(unc, comp, len(m["layers"]))
PY
)
cat "$WORK/image.tar" "$WORK"/oci/blobs/sha256/* >/dev/null # warm the page cache

# measure NAME CMD... → sets WALL (s) and RSS (KiB) from /usr/bin/time -v
measure() {
	local log=$WORK/time-$1.log
	shift
	/usr/bin/time -v -o "$log" "$@" >/dev/null
	WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
	RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

walls=() rsss=()
for r in $(seq 1 "$RUNS"); do
	measure "bulwark-oci-$r" "$BULWARK" image files "oci:$WORK/oci:1" --format json
	walls+=("$WALL") rsss+=("$RSS")
done
BW_WALL=$(printf '%s\n' "${walls[@]}" | median)
BW_RSS=$(printf '%s\n' "${rsss[@]}" | sort -n | tail -n 1)
measure bulwark-docker-archive "$BULWARK" image files "docker-archive:$WORK/image.tar" --format json
BWA_WALL=$WALL BWA_RSS=$RSS

T=$(mktemp -d -p "$WORK")
DOCKER_BIN=/usr/bin/docker
[ -x "$DOCKER_BIN" ] || DOCKER_BIN=$(command -v docker)
measure docker-save-tar bash -c "'$DOCKER_BIN' save '$TAG' | tar -x -C '$T'"
DS_WALL=$WALL DS_RSS=$RSS
rm -rf "$T"
T=$(mktemp -d -p "$WORK")
measure skopeo-umoci bash -c "skopeo copy --quiet 'docker-archive:$WORK/image.tar' 'oci:$T/oci:1' && umoci unpack --image '$T/oci:1' '$T/bundle'"
SU_WALL=$WALL SU_RSS=$RSS
rm -rf "$T"

CORES=$(nproc)
/usr/bin/python3 - "$UNCOMP" "$COMP" "$NLAYERS" "$BW_WALL" "$BW_RSS" "$BWA_WALL" "$BWA_RSS" "$DS_WALL" "$DS_RSS" \
	"$SU_WALL" "$SU_RSS" "$CORES" "$BULWARK" "$RUNS" <<'PY' | tee "$WORK/results.md"
import sys, platform, subprocess, datetime
(unc, comp, nl, bw, bwr, bwa, bwar, ds, dsr, su, sur, cores, binary, runs) = sys.argv[1:]
unc, comp, nl, cores = int(unc), int(comp), int(nl), int(cores)
bw, bwa, ds, su = map(float, (bw, bwa, ds, su))
mb = unc / 1e6
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
mem = subprocess.run(["sh", "-c", "free -g | awk '/Mem:/{print $2}'"], capture_output=True, text=True).stdout.strip()
print(f"""## Image reader

Run `bash bench/image-read/run.sh` ({datetime.date.today()}; `{binary}`).
Machine: {cpu}, {cores} cores, {mem} GiB RAM, Debian {open('/etc/debian_version').read().strip()}, kernel {platform.release()}.
Image: Debian bookworm minbase + generated text/binary/random files, {nl} gzip layers,
{comp / 2**20:.0f} MiB compressed, {unc / 2**20:.0f} MiB uncompressed (ratio {unc / comp:.2f}).
Page cache warm; bulwark figure is the median of {runs} runs.

| reader | wall (s) | MB/s uncompressed | MB/s per core | peak RSS (MiB) | time vs bulwark |
|---|---:|---:|---:|---:|---:|
| `bulwark image files oci:DIR` (gzip, all digests verified) | {bw:.2f} | {mb / bw:.0f} | {mb / bw / cores:.0f} | {int(bwr) / 1024:.1f} | 1.00 |
| `bulwark image files docker-archive:TAR` (uncompressed layers) | {bwa:.2f} | {mb / bwa:.0f} | {mb / bwa / cores:.0f} | {int(bwar) / 1024:.1f} | {bwa / bw:.2f} |
| `docker save IMG \\| tar -x` | {ds:.2f} | {mb / ds:.0f} | {mb / ds / cores:.0f} | {int(dsr) / 1024:.1f} | {ds / bw:.2f} |
| `skopeo copy docker-archive: oci:` + `umoci unpack` | {su:.2f} | {mb / su:.0f} | {mb / su / cores:.0f} | {int(sur) / 1024:.1f} | {su / bw:.2f} |

Targets: >= 400 MB/s per core ({'met' if mb / bw / cores >= 400 else 'NOT met'}); peak RSS < 64 MiB ({'met' if int(bwr) / 1024 < 64 else 'NOT met'}).
(Peak RSS of the peers' rows is that of the shell pipeline's largest process as /usr/bin/time sees it.)""")
PY
