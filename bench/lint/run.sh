#!/bin/sh
# Lint N generated Dockerfiles with bulwark and with dockerfilelint, on one
# core, in the same run. Usage: bench/lint/run.sh [BUILD_DIR] [N]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
n=${2:-10000}
bw=$build/src/cli/bulwark
work=$build/bench-lint
mkdir -p "$work"
[ -d "$work/files/00000" ] || python3 "$here/gen.py" "$work/files" "$n"
find "$work/files" -name Dockerfile | sort | head -n "$n" > "$work/list"
echo "files: $(wc -l < "$work/list")  bytes: $(xargs cat < "$work/list" | wc -c)"
if [ ! -x "$work/peers/node_modules/.bin/dockerfilelint" ]; then
	npm install --no-audit --no-fund --prefix "$work/peers" dockerfilelint@1.8.0 >/dev/null 2>&1 || true
fi
t() { # label, command...: wall and CPU (user+sys) seconds, peak RSS
	label=$1; shift
	/usr/bin/time -f "$label|%e|%U|%S|%M" -o "$work/time" "$@"
	IFS='|' read -r l wall user sys rss < "$work/time"
	printf '%-34s wall %6.2f s  cpu %6.2f s  rss %6d KB\n' "$l" "$wall" "$(echo "$user + $sys" | bc)" "$rss"
}
# warm the page cache
xargs cat < "$work/list" > /dev/null
t "bulwark lint -f table (1 core)" sh -c "xargs -s 1000000 taskset -c 0 $bw lint -q -f table < '$work/list' > /dev/null || true"
t "bulwark lint -f json (1 core)" sh -c "xargs -s 1000000 taskset -c 0 $bw lint -q -f json < '$work/list' > '$work/bulwark.json' || true"
t "bulwark lint -f sarif (1 core)" sh -c "xargs -s 1000000 taskset -c 0 $bw lint -q -f sarif < '$work/list' > '$work/bulwark.sarif' || true"
echo "bulwark findings: $(python3 -c "import json;print(len(json.load(open('$work/bulwark.json'))['findings']))")"
if [ -x "$work/peers/node_modules/.bin/dockerfilelint" ]; then
	t "dockerfilelint -j (1 core)" sh -c "xargs -s 1000000 taskset -c 0 '$work/peers/node_modules/.bin/dockerfilelint' -j < '$work/list' > '$work/dfl.json' || true"
	echo "dockerfilelint issues: $(python3 -c "import json;print(sum(f['issues_count'] for f in json.load(open('$work/dfl.json'))['files']))")"
else
	echo "dockerfilelint: not installed (npm unreachable)"
fi
