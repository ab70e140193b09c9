# The benchmark image, shared by bench/image-read and bench/registry: a debootstrap
# bookworm rootfs (cached like the tests' debian_rootfs fixture) plus MB of generated
# content in LAYERS layers, tagged TAG. Sourced with ROOT, WORK, MB, LAYERS, TAG, CACHE set
# and the engine started (scripts/lib/engine.sh); sets ROOTFS.
# --- the base: a debootstrap rootfs (cached like the tests' debian_rootfs fixture) ---
mirror() {
	awk 'BEGIN{RS=""; FS="\n"} /Suites:[^\n]*bookworm( |$|\n)/ && !/Enabled: *no/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { sub(/^URIs: */, "", $i); split($i, u, " "); print u[1]; exit } }' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1
}
ROOTFS=$CACHE/bookworm-rootfs
if [ ! -f "$CACHE/bookworm-rootfs.tar" ] || [ ! -f "$ROOTFS/var/lib/dpkg/status" ]; then
	M=$(mirror)
	M=${M:-http://deb.debian.org/debian}
	echo "bench: debootstrap bookworm from $M" >&2
	rm -rf "$CACHE/bookworm-rootfs.tmp"
	(
		exec 9>"$CACHE/bookworm.lock"
		flock 9
		debootstrap --variant=minbase bookworm "$CACHE/bookworm-rootfs.tmp" "$M" >"$WORK/debootstrap.log"
		tar -C "$CACHE/bookworm-rootfs.tmp" --numeric-owner -cf "$CACHE/bookworm-rootfs.tar.tmp" .
		rm -rf "$ROOTFS"
		mv "$CACHE/bookworm-rootfs.tmp" "$ROOTFS"
		mv "$CACHE/bookworm-rootfs.tar.tmp" "$CACHE/bookworm-rootfs.tar"
	)
fi
if ! bw_docker image inspect ref/bookworm:12 >/dev/null 2>&1; then
	bw_docker import -c 'LABEL org.bulwark.test-fixture=bookworm-minbase-v1' -c 'CMD ["/bin/bash"]' \
		"$CACHE/bookworm-rootfs.tar" ref/bookworm:12 >/dev/null
fi

# --- the image: rootfs + generated content in LAYERS layers ---
CTX=$WORK/context
# The image carries its parameters as a label: rebuild when another run made it differently.
want="$MB-$LAYERS"
have=$(bw_docker image inspect -f '{{ index .Config.Labels "org.bulwark.bench" }}' "$TAG" 2>/dev/null || true)
if [ "$have" != "$want" ]; then
	rm -rf "$CTX"
	mkdir -p "$CTX"
	per=$((MB / LAYERS))
	{
		echo "FROM ref/bookworm:12"
		echo "LABEL org.bulwark.bench=$want"
		for i in $(seq 1 "$LAYERS"); do
			/usr/bin/python3 bench/image-read/gen-content.py "$ROOTFS" "$CTX/part$i" "$per" "$i"
			echo "COPY part$i /opt/bench/part$i"
		done
		echo 'RUN rm -rf /opt/bench/part1/d000 && chmod -R go-w /opt/bench'
	} >"$CTX/Dockerfile"
	DOCKER_BUILDKIT=0 bw_docker build -q --network none -t "$TAG" "$CTX" >/dev/null
fi
