#!/usr/bin/env bash
# The runtime monitor's overhead against no tracer and against bpftrace on the same hooks
# (issue 16; results in bench/RESULTS.md, "Runtime monitor"). Root, a kernel with BTF,
# Debian's bpftrace for the peer column (deps/debian-packages.txt).
#   bench/monitor/run.sh [BULWARK] [ROUNDS] [PREVIOUS]   (default build/src/cli/bulwark, 3 rounds;
#   PREVIOUS: another bulwark binary measured in its own column)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec /usr/bin/python3 "$ROOT/bench/monitor/run.py" "${1:-$ROOT/build/src/cli/bulwark}" "${2:-3}" ${3:+"$3"}
