#!/usr/bin/env bash
# Side by side: every benchmark workload of bench/RESULTS.md with two bulwark builds in the
# same run, interleaved (old, new, old, new, …), so machine load hits both alike.
#
#   bench/compare.sh OLD_REV [NEW_BUILD_DIR] [RUNS]
#
# OLD_REV is a git revision (built release into $WORK/old-build from a throwaway worktree);
# NEW_BUILD_DIR defaults to build (release). RUNS (default 5) runs per workload and build;
# the table gives medians of wall time, CPU time (user + sys) and peak RSS, and new/old
# ratios. Needs the Docker Engine and the images the integration tests make
# (ref/bookworm:12, tiny:1, bw-vuln/alpine-old:1), and ../shared/data for the database.
# Work files under $WORK (default build/bench-compare).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OLD_REV=${1:?usage: bench/compare.sh OLD_REV [NEW_BUILD_DIR] [RUNS]}
NEW_BUILD=$(cd "${2:-$ROOT/build}" && pwd)
RUNS=${3:-5}
WORK=${WORK:-$ROOT/build/bench-compare}
SHARED=${BW_SHARED_DATA:-$ROOT/../shared/data}
mkdir -p "$WORK"

# --- the two binaries ---------------------------------------------------------------
OLD_SRC=$WORK/old-src
if [ ! -x "$WORK/old-build/src/cli/bulwark" ] || [ "$(cat "$WORK/old-rev" 2>/dev/null)" != "$OLD_REV" ]; then
	rm -rf "$OLD_SRC" "$WORK/old-build"
	git -C "$ROOT" worktree prune
	git -C "$ROOT" worktree add --detach "$OLD_SRC" "$OLD_REV" >/dev/null
	meson setup "$WORK/old-build" "$OLD_SRC" -Dbuildtype=release >/dev/null
	ninja -C "$WORK/old-build" src/cli/bulwark >/dev/null
	echo "$OLD_REV" >"$WORK/old-rev"
fi
OLD=$WORK/old-build/src/cli/bulwark
NEW=$NEW_BUILD/src/cli/bulwark

# --- inputs ---------------------------------------------------------------------------
[ -f "$WORK/bookworm.tar" ] || docker save ref/bookworm:12 -o "$WORK/bookworm.tar"
[ -d "$WORK/bookworm-oci" ] || skopeo copy -q "docker-archive:$WORK/bookworm.tar" "oci:$WORK/bookworm-oci:1"
[ -f "$WORK/alpine-old.tar" ] || docker save bw-vuln/alpine-old:1 -o "$WORK/alpine-old.tar"
if [ ! -f "$WORK/npm5000.tar" ]; then
	rm -rf "$WORK/npmctx"
	/usr/bin/python3 "$ROOT/bench/inventory/make_npm_image.py" "$WORK/npmctx" 5000 tiny:1
	DOCKER_BUILDKIT=0 docker build -q --network none -t bwbench/npm5000:1 "$WORK/npmctx" >/dev/null
	docker save bwbench/npm5000:1 -o "$WORK/npm5000.tar"
fi
if [ ! -d "$WORK/lint/files/00000" ]; then
	/usr/bin/python3 "$ROOT/bench/lint/gen.py" "$WORK/lint/files" 10000
fi
find "$WORK/lint/files" -name Dockerfile | sort >"$WORK/lint/list"
if [ ! -f "$WORK/vercmp.txt" ]; then
	/usr/bin/python3 - "$WORK/vercmp.txt" <<'PY'
import random, sys
r = random.Random(7)
def v():
    return ".".join(str(r.randint(0, 20)) for _ in range(r.randint(1, 4))) + r.choice(["", "-1", "+deb12u1", "~rc1", "-2ubuntu3"])
with open(sys.argv[1], "w") as f:
    for _ in range(200000):
        f.write(f"deb {v()} {v()}\n")
PY
fi
if [ -d "$SHARED/osv" ] && [ ! -d "$WORK/osv" ]; then
	mkdir -p "$WORK/osv"
	for a in "$SHARED"/osv/*/*.tar.zst; do tar --zstd -C "$WORK/osv" -xf "$a"; done
fi
cat "$WORK"/*.tar >/dev/null # the page cache, warm for both alike

# --- workloads: name | command (BW is the binary; a fresh cache dir per run where cold) ----
workloads=(
	"image files oci (gzip, digests)|\$BW image files -f json oci:$WORK/bookworm-oci:1"
	"image files docker-archive|\$BW image files -f json docker-archive:$WORK/bookworm.tar"
	"image inspect|\$BW image inspect -f json $WORK/bookworm.tar"
	"packages cold, bookworm|\$BW image --no-cache --scanners packages --list-packages -f json $WORK/bookworm.tar"
	"packages cold, 5,000 npm|\$BW image --no-cache --scanners packages --list-packages -f json $WORK/npm5000.tar"
	"packages cached, bookworm|\$BW image --scanners packages --list-packages -f json $WORK/bookworm.tar"
	"packages cached, 5,000 npm|\$BW image --scanners packages --list-packages -f json $WORK/npm5000.tar"
	"secrets cold, bookworm|\$BW image --no-cache --scanners secret -f json $WORK/bookworm.tar"
	"config cold, bookworm|\$BW image --no-cache --scanners config -f json $WORK/bookworm.tar"
	"all scanners cold, bookworm|\$BW image --no-cache -f json $WORK/bookworm.tar"
	"all scanners cached, bookworm|\$BW image -f json $WORK/bookworm.tar"
	"fs of an unpacked npm tree|\$BW fs --no-cache --scanners packages -f json $WORK/npmctx"
	"lint 10,000 Dockerfiles, json|xargs -s 1000000 \$BW lint -q -f json < $WORK/lint/list"
	"vercmp --batch 200,000 deb pairs|\$BW vercmp --batch < $WORK/vercmp.txt"
)
if [ -d "$WORK/osv" ]; then
	workloads+=(
		"db import of the shared advisories|rm -f \$DB*; \$BW db import --db \$DB $WORK/osv $SHARED/debian-tracker $SHARED/alpine-secdb $SHARED/kev $SHARED/epss"
		"vulnerabilities cold, bookworm|\$BW image --no-cache --scanners vuln --db $WORK/ref.db -f json $WORK/bookworm.tar"
		"vulnerabilities cold, alpine 3.9|\$BW image --no-cache --scanners vuln --db $WORK/ref.db -f json $WORK/alpine-old.tar"
	)
	[ -f "$WORK/ref.db" ] || "$NEW" db import --db "$WORK/ref.db" "$WORK/osv" "$SHARED/debian-tracker" \
		"$SHARED/alpine-secdb" "$SHARED/kev" "$SHARED/epss" >/dev/null
fi
workloads+=("audit of the running engine|\$BW audit -f json")

one() { # which(old|new) name cmd -> "wall cpu rss"
	local bw=$1 cmd=$3
	export BW=$bw DB=$WORK/run.db XDG_CACHE_HOME=$WORK/xdg-$4
	/usr/bin/time -f "%e %U %S %M" -o "$WORK/time" bash -c "$cmd" >/dev/null 2>&1 || true
	read -r wall user sys rss <"$WORK/time"
	echo "$wall $(echo "$user + $sys" | bc) $rss"
}

printf '| workload | old wall (s) | new wall (s) | old CPU (s) | new CPU (s) | CPU new/old | old RSS (MB) | new RSS (MB) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
for w in "${workloads[@]}"; do
	name=${w%%|*} cmd=${w#*|}
	# a cached workload: one unmeasured run fills each build's own cache first
	rm -rf "$WORK/xdg-old" "$WORK/xdg-new"
	case "$name" in *cached*)
		one "$OLD" "$name" "$cmd" old >/dev/null
		one "$NEW" "$name" "$cmd" new >/dev/null
		;;
	esac
	: >"$WORK/old.txt"
	: >"$WORK/new.txt"
	for i in $(seq "$RUNS"); do
		one "$OLD" "$name" "$cmd" old >>"$WORK/old.txt"
		one "$NEW" "$name" "$cmd" new >>"$WORK/new.txt"
	done
	/usr/bin/python3 - "$name" "$WORK/old.txt" "$WORK/new.txt" <<'PY'
import statistics, sys
name, old, new = sys.argv[1], sys.argv[2], sys.argv[3]
def med(path):
    rows = [list(map(float, l.split())) for l in open(path) if l.strip()]
    return [statistics.median(c) for c in zip(*rows)]
(ow, oc, orss), (nw, nc, nrss) = med(old), med(new)
ratio = nc / oc if oc > 0 else float("nan")
print(f"| {name} | {ow:.3f} | {nw:.3f} | {oc:.3f} | {nc:.3f} | {ratio:.2f} | {orss/1024:.0f} | {nrss/1024:.0f} |")
PY
done
echo
echo "old: $OLD_REV ($OLD); new: $NEW; $RUNS runs each, interleaved; medians. $(nproc) cores, $(uptime | sed 's/.*load/load/')"
