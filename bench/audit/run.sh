#!/bin/sh
# Benchmark: a full `bulwark audit` of N running containers (default 100),
# started here from tiny:1 with --network none, and docker-bench-security's
# run time on the same host when a checkout of it is given.
#
#   bench/audit/run.sh [BULWARK] [N] [DOCKER_BENCH_DIR]
#
# BULWARK defaults to build/src/cli/bulwark; DOCKER_BENCH_DIR is a checkout
# of github.com/docker/docker-bench-security (not shipped with bulwark).
# Prints one line per measurement; the containers are removed at the end.
set -eu
BULWARK=${1:-build/src/cli/bulwark}
N=${2:-100}
DBS=${3:-}
IMAGE=${BW_BENCH_IMAGE:-tiny:1}
LABEL=org.bulwark.bench=audit
RUNS=${RUNS:-5}

docker image inspect "$IMAGE" >/dev/null 2>&1 || {
	echo "bench: image $IMAGE is missing (run the integration tests once, or docker import a busybox rootfs)" >&2
	exit 3
}
cleanup() { docker ps -aq --filter "label=$LABEL" | xargs -r docker rm -f >/dev/null; }
trap cleanup EXIT
cleanup

t0=$(date +%s.%N)
i=0
while [ "$i" -lt "$N" ]; do
	docker run -d --network none --label "$LABEL" --name "bw-bench-audit-$i" "$IMAGE" sleep 3600 >/dev/null
	i=$((i + 1))
done
t1=$(date +%s.%N)
echo "setup: $N containers started in $(echo "$t1 - $t0" | bc) s"
echo "running containers on the engine: $(docker ps -q | wc -l)"

# bulwark: RUNS full audits (every section), JSON to /dev/null
r=0
while [ "$r" -lt "$RUNS" ]; do
	"$BULWARK" audit -f json --timing -o /dev/null 2>&1 | sed 's/^/bulwark: /'
	r=$((r + 1))
done

if [ -n "$DBS" ] && [ -x "$DBS/docker-bench-security.sh" ]; then
	log=$(mktemp -d)
	s0=$(date +%s.%N)
	(cd "$DBS" && sh ./docker-bench-security.sh -l "$log/dbs.log" >/dev/null 2>&1) || true
	s1=$(date +%s.%N)
	echo "docker-bench-security: $(echo "$s1 - $s0" | bc) s (full run, same host, same containers)"
	rm -rf "$log"
fi
