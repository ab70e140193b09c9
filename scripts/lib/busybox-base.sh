# shellcheck shell=bash
# bw_busybox_base TAG: import a minimal base image without any registry — Debian's static
# busybox with its applets as symlinks, /etc/passwd, /etc/group, /tmp — unless TAG exists.
# Needs scripts/lib/engine.sh sourced (bw_docker).
bw_busybox_base() {
	local tag=$1 r
	if bw_docker image inspect "$tag" >/dev/null 2>&1; then return 0; fi
	r=$(mktemp -d)
	mkdir -p "$r/bin" "$r/etc" "$r/root" "$r/tmp"
	chmod 1777 "$r/tmp"
	chmod 700 "$r/root"
	cp /bin/busybox "$r/bin/busybox"
	local a
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$r/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
	tar -C "$r" --numeric-owner --owner=0 --group=0 -c . | bw_docker import -c 'CMD ["/bin/sh"]' - "$tag" >/dev/null
	rm -rf "$r"
}
