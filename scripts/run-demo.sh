#!/usr/bin/env bash
# The README's main job (Debian 12, as root): install what is needed, build bulwark,
# build a small sample image with a real Docker Engine from examples/sample-app, save it
# with `docker save`, and read it with bulwark.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
source scripts/lib/engine.sh
source scripts/lib/busybox-base.sh

BUILD=${BW_BUILD_DIR:-build}
OUT=$ROOT/$BUILD/demo
BULWARK=$ROOT/$BUILD/src/cli/bulwark

bash scripts/install-deps.sh

echo "== build ($BUILD)" >&2
if [ -f "$BUILD/meson-private/coredata.dat" ]; then
	meson setup --reconfigure "$BUILD" -Dbuildtype=release >/dev/null
else
	meson setup "$BUILD" -Dbuildtype=release >/dev/null
fi
ninja -C "$BUILD" >/dev/null

trap 'bw_engine_stop' EXIT
trap 'bw_engine_stop; exit 130' INT TERM
mkdir -p "$OUT"
bw_engine_start "$OUT"

echo "== sample image (examples/sample-app)" >&2
bw_busybox_base bulwark-example/busybox:1
DOCKER_BUILDKIT=0 bw_docker build -q --network none -t bulwark-example/app:1 examples/sample-app >/dev/null
bw_docker save -o "$OUT/sample-app.tar" bulwark-example/app:1
echo "saved bulwark-example/app:1 to $OUT/sample-app.tar" >&2

echo >&2
echo "== bulwark image inspect $OUT/sample-app.tar" >&2
"$BULWARK" image inspect "$OUT/sample-app.tar"
echo >&2
echo "== bulwark image files $OUT/sample-app.tar" >&2
"$BULWARK" image files "$OUT/sample-app.tar"
echo >&2
echo "== bulwark image $OUT/sample-app.tar (every scanner built in)" >&2
"$BULWARK" image "$OUT/sample-app.tar"
echo >&2
echo "== bulwark lint examples/sample-app/Dockerfile" >&2
"$BULWARK" lint examples/sample-app/Dockerfile || true
