# shellcheck shell=bash
# Shared Docker Engine start/stop for scripts/test.sh and scripts/run-demo.sh.
# Source it, then:
#   bw_engine_start LOGDIR   use an engine that answers, or start Debian's dockerd
#                            (vfs storage, --iptables=false: no container reaches out)
#   bw_engine_stop           stop the engine only if bw_engine_start started it
# Set BW_KEEP_ENGINE=1 to leave a started engine running (handy while developing).
# After bw_engine_start, DOCKER_HOST-less clients reach it at unix:///var/run/docker.sock.

BW_ENGINE_PID=""

bw_docker() {
	# Prefer Debian's client (the one that matches the 20.10 engine) when present.
	if [ -x /usr/bin/docker ]; then /usr/bin/docker "$@"; else docker "$@"; fi
}

bw_engine_answers() {
	bw_docker info >/dev/null 2>&1
}

bw_engine_start() {
	local logdir=${1:-/tmp}
	if bw_engine_answers; then
		echo "engine: using the running Docker Engine" >&2
		return 0
	fi
	if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST}" != "unix:///var/run/docker.sock" ]; then
		echo "engine: DOCKER_HOST=$DOCKER_HOST does not answer" >&2
		return 1
	fi
	if ! command -v dockerd >/dev/null 2>&1; then
		echo "engine: dockerd not installed (apt-get install docker.io)" >&2
		return 1
	fi
	mkdir -p "$logdir"
	echo "engine: starting dockerd (log: $logdir/dockerd.log)" >&2
	# setsid: its own process group, so a Ctrl-C of the caller does not race our trap.
	setsid dockerd --storage-driver=vfs --iptables=false --ip-masq=false \
		--data-root /var/lib/docker >"$logdir/dockerd.log" 2>&1 </dev/null &
	BW_ENGINE_PID=$!
	local i
	for i in $(seq 1 120); do
		if bw_engine_answers; then
			echo "engine: dockerd $BW_ENGINE_PID is up" >&2
			return 0
		fi
		if ! kill -0 "$BW_ENGINE_PID" 2>/dev/null; then
			# Lost a race with another starter? Then that one answers soon.
			BW_ENGINE_PID=""
			sleep 1
			if bw_engine_answers; then return 0; fi
			echo "engine: dockerd exited; last lines of its log:" >&2
			tail -n 20 "$logdir/dockerd.log" >&2
			return 1
		fi
		sleep 0.5
	done
	echo "engine: dockerd did not answer within 60 s" >&2
	tail -n 20 "$logdir/dockerd.log" >&2
	return 1
}

bw_engine_stop() {
	if [ -z "$BW_ENGINE_PID" ]; then return 0; fi
	if [ "${BW_KEEP_ENGINE:-0}" = 1 ]; then
		echo "engine: leaving dockerd $BW_ENGINE_PID running (BW_KEEP_ENGINE=1)" >&2
		return 0
	fi
	if kill -0 "$BW_ENGINE_PID" 2>/dev/null; then
		kill -TERM "$BW_ENGINE_PID" 2>/dev/null || true
		local i
		for i in $(seq 1 40); do
			kill -0 "$BW_ENGINE_PID" 2>/dev/null || break
			sleep 0.5
		done
		kill -0 "$BW_ENGINE_PID" 2>/dev/null && kill -KILL "$BW_ENGINE_PID" 2>/dev/null
	fi
	BW_ENGINE_PID=""
}
