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
# the lint itself (without ShellCheck, which is a program of its own: see below)
t "bulwark lint -f table (1 core)" sh -c "xargs -s 1000000 taskset -c 0 $bw lint -q --no-shellcheck -f table < '$work/list' > /dev/null || true"
t "bulwark lint -f json (1 core)" sh -c "xargs -s 1000000 taskset -c 0 $bw lint -q --no-shellcheck -f json < '$work/list' > '$work/bulwark.json' || true"
t "bulwark lint -f sarif (1 core)" sh -c "xargs -s 1000000 taskset -c 0 $bw lint -q --no-shellcheck -f sarif < '$work/list' > '$work/bulwark.sarif' || true"
echo "bulwark findings: $(python3 -c "import json;print(len(json.load(open('$work/bulwark.json'))['findings']))")"
if [ -x "$work/peers/node_modules/.bin/dockerfilelint" ]; then
	t "dockerfilelint -j (1 core)" sh -c "xargs -s 1000000 taskset -c 0 '$work/peers/node_modules/.bin/dockerfilelint' -j < '$work/list' > '$work/dfl.json' || true"
	echo "dockerfilelint issues: $(python3 -c "import json;print(sum(f['issues_count'] for f in json.load(open('$work/dfl.json'))['files']))")"
else
	echo "dockerfilelint: not installed (npm unreachable)"
fi

# ShellCheck of RUN scripts: one large Dockerfile (the first 300 files end to end:
# ~4,700 lines, ~780 RUNs), with and without it, and with hadolint when installed
head -n 300 "$work/list" | xargs cat > "$work/large.Dockerfile"
echo "large Dockerfile: $(wc -l < "$work/large.Dockerfile") lines, $(grep -c '^RUN\|^ONBUILD RUN' "$work/large.Dockerfile") RUNs"
t "bulwark lint large --no-shellcheck" sh -c "taskset -c 0 $bw lint -q --no-shellcheck -f json '$work/large.Dockerfile' > /dev/null || true"
t "bulwark lint large (1 core)" sh -c "taskset -c 0 $bw lint -q -f json '$work/large.Dockerfile' > /dev/null || true"
t "bulwark lint large (all cores)" sh -c "$bw lint -q -f json '$work/large.Dockerfile' > /dev/null || true"
t "bulwark lint 100 files (shellcheck)" sh -c "head -n 100 '$work/list' | xargs taskset -c 0 $bw lint -q -f json > /dev/null || true"
hl=${BW_HADOLINT:-$(command -v hadolint || true)}
if [ -n "$hl" ]; then
	t "hadolint large (1 core)" sh -c "taskset -c 0 '$hl' --no-fail -f json '$work/large.Dockerfile' > /dev/null || true"
	t "hadolint 100 files (1 core)" sh -c "head -n 100 '$work/list' | xargs taskset -c 0 '$hl' --no-fail -f json > /dev/null || true"
else
	echo "hadolint: not installed (set BW_HADOLINT)"
fi
