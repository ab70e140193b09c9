#!/bin/sh
# bulwark net graph over W generated workloads and P NetworkPolicies (bench/net/gen.py),
# pinned to one core: the findings alone (table), and the graph written as JSON.
#   bench/net/run.sh [BUILD_DIR] [W] [P]     (default: build, 1000, 5000)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
w=${2:-1000}
p=${3:-5000}
bw=$build/src/cli/bulwark
work=${BENCH_DIR:-/tmp/bw-net-bench}
mkdir -p "$work"
f="$work/cluster-$w-$p.yaml"
[ -f "$f" ] || python3 "$here/gen.py" "$f" "$w" "$p"
echo "manifest: $(wc -c < "$f") bytes, $(grep -c '^kind: Deployment' "$f") workloads, $(grep -c '^kind: NetworkPolicy' "$f") policies"
t() {
	label=$1; shift
	/usr/bin/time -f "$label|%e|%U|%S|%M" -o "$work/time" "$@" || true
	IFS='|' read -r l wall user sys rss < "$work/time"
	printf '%-44s wall %6.2f s  cpu %6.2f s  rss %7d KB\n' "$l" "$wall" "$(echo "$user + $sys" | bc)" "$rss"
}
cat "$f" > /dev/null
for i in 1 2 3; do
	t "bulwark net graph (findings, 1 core) #$i" sh -c "taskset -c 0 $bw net graph -q -f table '$f' > '$work/net.txt'"
done
t "bulwark net graph --graph json (1 core)" sh -c "taskset -c 0 $bw net graph -q --graph json -o '$work/graph.json' '$f'"
python3 -c "import json;g=json.load(open('$work/graph.json'));print('nodes', len(g['nodes']), 'edges', len(g['edges']), 'paths', len(g['paths']), 'findings', len(g['findings']))"
