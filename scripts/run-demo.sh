#!/usr/bin/env bash
# The README's main job (Debian 12, as root): install what is needed, build bulwark, build
# the sample image of examples/sample-app with a real Docker Engine, give bulwark a
# vulnerability database, and scan the image. The sample has something to find in every
# scanner (examples/sample-app/Dockerfile lists what was planted): old Python packages
# with real advisories, a fake AWS key, a fake GitHub token in a layer whose file a later
# RUN deleted, a password in ENV, root, no HEALTHCHECK, ADD.
#
# The database: `bulwark db update --ecosystem PyPI` when OSV's bucket answers within a
# few seconds; otherwise (or when the update fails) `bulwark db import examples/vulndb`,
# a snapshot of the real OSV records of the sample's packages (examples/vulndb/README.md).
# Either way it is $OUT/db.sqlite, not the default database of your own scans.
#
# Written to $OUT (build/demo): sample-app.tar (docker save), db.sqlite, report.json
# (bulwark's JSON report), sbom.cdx.json (CycloneDX 1.6) and report.html (the same scan
# as one self-contained page). Standard output ends with the scan's table.
#
# Options: --no-deps  skip scripts/install-deps.sh (the packages are there already)
# Environment (defaults in brackets):
#   BW_BUILD_DIR [build]   build directory
#   BW_DEMO_OUT [$BW_BUILD_DIR/demo]  where the files go
#   BW_DEMO_BULWARK        a bulwark binary to use instead of building one
#   BW_DEMO_OSV_URL [https://osv-vulnerabilities.storage.googleapis.com]  OSV or a mirror
#   BW_DEMO_OFFLINE [0]    1: do not try the network, import the snapshot
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
source scripts/lib/engine.sh
source scripts/lib/busybox-base.sh

deps=1
for a in "$@"; do
	case $a in
	--no-deps) deps=0 ;;
	*)
		echo "usage: bash scripts/run-demo.sh [--no-deps]" >&2
		exit 2
		;;
	esac
done

BUILD=${BW_BUILD_DIR:-build}
OUT=${BW_DEMO_OUT:-$ROOT/$BUILD/demo}
BULWARK=${BW_DEMO_BULWARK:-$ROOT/$BUILD/src/cli/bulwark}
OSV_URL=${BW_DEMO_OSV_URL:-https://osv-vulnerabilities.storage.googleapis.com}
TAR=$OUT/sample-app.tar
DB=$OUT/db.sqlite

step() { printf '\n== %s\n' "$*" >&2; }

if [ $deps = 1 ]; then
	bash scripts/install-deps.sh
fi

if [ -z "${BW_DEMO_BULWARK:-}" ]; then
	step "build ($BUILD)"
	if [ -f "$BUILD/meson-private/coredata.dat" ]; then
		meson setup --reconfigure "$BUILD" -Dbuildtype=release >/dev/null
	else
		meson setup "$BUILD" -Dbuildtype=release >/dev/null
	fi
	ninja -C "$BUILD" >/dev/null
fi

trap 'bw_engine_stop' EXIT
trap 'bw_engine_stop; exit 130' INT TERM
mkdir -p "$OUT"
bw_engine_start "$OUT"

step "sample image (examples/sample-app)"
bw_busybox_base bulwark-example/busybox:1
if ! DOCKER_BUILDKIT=0 bw_docker build -q --network none -t bulwark-example/app:1 examples/sample-app \
	>"$OUT/docker-build.log" 2>&1; then
	cat "$OUT/docker-build.log" >&2
	exit 1
fi
bw_docker save -o "$TAR" bulwark-example/app:1
echo "saved bulwark-example/app:1 to $TAR" >&2

# A vulnerability database of its own: OSV's PyPI data when the network is there, else
# the committed snapshot. The probe is a HEAD request with a short timeout, so an
# offline machine (no DNS, no route, a firewall that drops) decides in seconds.
step "vulnerability database ($DB)"
db_ready=0
if [ "${BW_DEMO_OFFLINE:-0}" != 1 ] &&
	curl -fsS -o /dev/null -I --connect-timeout 3 --max-time 6 "$OSV_URL/PyPI/all.zip" 2>/dev/null; then
	echo "$OSV_URL answers: bulwark db update --ecosystem PyPI" >&2
	if "$BULWARK" db update --db "$DB" --ecosystem PyPI --base-url "$OSV_URL"; then
		db_ready=1
	else
		echo "db update failed: falling back to the snapshot" >&2
	fi
else
	echo "$OSV_URL does not answer (offline?)" >&2
fi
if [ $db_ready = 0 ]; then
	echo "importing examples/vulndb: a snapshot of the real OSV records of the sample's packages" >&2
	"$BULWARK" db import --db "$DB" examples/vulndb
fi

step "bulwark image inspect $TAR"
"$BULWARK" image inspect "$TAR"

step "bulwark lint examples/sample-app/Dockerfile"
"$BULWARK" lint examples/sample-app/Dockerfile || true

step "reports in $OUT"
"$BULWARK" image --quiet --db "$DB" --format json -o "$OUT/report.json" "$TAR"
"$BULWARK" sbom --quiet --format cyclonedx -o "$OUT/sbom.cdx.json" "$TAR"
"$BULWARK" image --quiet --db "$DB" --format html -o "$OUT/report.html" "$TAR"
for f in report.json sbom.cdx.json report.html; do
	echo "wrote $OUT/$f" >&2
done

step "bulwark image --db $DB $TAR (every scanner built in)"
"$BULWARK" image --db "$DB" "$TAR"
