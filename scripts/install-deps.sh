#!/usr/bin/env bash
# Install every Debian package of deps/debian-packages.txt (Debian 12, as root); with
# --package, only what builds the Debian package of debian/ (the Dockerfile uses it).
# Idempotent and fast when everything is present: dpkg-query decides, and apt-get
# (update included) runs only for what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

list=deps/debian-packages.txt
if [ "${1:-}" = --package ]; then
	# What dpkg-buildpackage needs for debian/ (the Dockerfile's build stage): build-essential,
	# dpkg-dev and debian/control's Build-Depends (version constraints and build profiles
	# dropped; debhelper-compat is provided by debhelper).
	mapfile -t wanted < <(printf '%s\n' build-essential dpkg-dev
		awk '/^Build-Depends:/ { on = 1; sub(/^Build-Depends:/, "") } on && /^[^ \t]/ && !/^Build-Depends:/ { on = 0 }
		     on { print }' debian/control | tr ',' '\n' |
			sed -e 's/([^)]*)//g' -e 's/<[^>]*>//g' -e 's/\[[^]]*\]//g' -e 's/[[:space:]]//g' \
				-e 's/^debhelper-compat$/debhelper/' | grep -v '^$')
	list=debian/control
else
	mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')
fi

installed() {
	dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# A package may be satisfied by another one that Provides it (nodesource's nodejs
# provides npm, for example); installing the real one would fight with it.
provided=$(dpkg-query -W -f='${Status}\t${Provides}\n' 2>/dev/null |
	awk -F'\t' '$1 == "install ok installed" { print $2 }' |
	tr ',' '\n' | sed -e 's/(.*)//' -e 's/[[:space:]]//g' | sort -u)

missing=()
for p in "${wanted[@]}"; do
	if installed "$p"; then continue; fi
	if grep -qxF "$p" <<<"$provided"; then continue; fi
	missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#wanted[@]} packages present" >&2
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing ${missing[*]}; run as root to install them" >&2
	exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
