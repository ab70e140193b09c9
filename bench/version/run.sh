#!/bin/sh
# Version-comparison throughput: bulwark per scheme on one core, next to the
# oracles' rates measured in the same run. Usage: bench/version/run.sh [BUILD_DIR]
# Writes a table on standard output. Needs the shared vectors (../shared/data).
# Rates are per CPU-second of one thread (process CPU time for the oracles),
# so a busy machine does not skew them.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build}
DATA=${BW_SHARED_DATA:-$ROOT/../shared/data}/versions
OUT=$BUILD/bench-version
mkdir -p "$OUT"
LIBS=$(pkg-config --libs libarchive jansson libcurl libcrypto libssl sqlite3 libzstd libisal yaml-0.1 libpcre2-8)
cc -O2 -std=c17 -D_GNU_SOURCE -I"$ROOT/src" -o "$OUT/bench_vercmp" "$ROOT/bench/version/bench_vercmp.c" \
	"$BUILD/libbulwark.a" $LIBS -lpthread
# pair sets: upstream and oracle-derived vectors; generated sets for the rest
python3 - "$OUT" "$DATA" <<'PY'
import os, random, sys
out, data = sys.argv[1], sys.argv[2]
def copy(src, dst):
    with open(os.path.join(data, src)) as f, open(os.path.join(out, dst), "w") as g:
        for l in f:
            if not l.startswith("#"):
                p = l.rstrip("\n").split("\t")
                g.write(p[0] + "\t" + p[1] + "\n")
copy("dpkg-oracle.tsv", "deb.tsv"); copy("rpm-oracle.tsv", "rpm.tsv"); copy("apk.tsv", "apk.tsv")
copy("pypi.tsv", "pypi.tsv"); copy("maven.tsv", "maven.tsv"); copy("npm-semver.tsv", "npm.tsv")
r = random.Random(1)
def sv(v=""):
    s = v + "%d.%d.%d" % (r.randint(0, 20), r.randint(0, 50), r.randint(0, 200))
    if r.random() < 0.3: s += "-" + r.choice(["alpha", "beta", "rc"]) + "." + str(r.randint(0, 9))
    return s
sets = {"semver": lambda: sv(), "go": lambda: sv("v"), "cargo": lambda: sv(),
        "nuget": lambda: sv(), "composer": lambda: sv(), "gem": lambda: sv().replace("-", ".")}
for k, f in sets.items():
    with open(os.path.join(out, k + ".tsv"), "w") as g:
        for _ in range(3000):
            g.write(f() + "\t" + f() + "\n")
PY
printf 'scheme\tpairs\tbulwark cmp/s\toracle\toracle cmp/s\n'
oracle() { # scheme -> "name rate"
	case $1 in
	deb) /usr/bin/python3 - "$OUT/deb.tsv" <<'PY'
import sys, time, apt_pkg
apt_pkg.init_system()
p = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
n = 0; t0 = time.process_time()
while time.process_time() - t0 < 1:
    for a, b in p: apt_pkg.version_compare(a, b)
    n += len(p)
print("python3-apt apt_pkg.version_compare\t%.0f" % (n / (time.process_time() - t0)))
PY
	;;
	rpm) /usr/bin/python3 - "$OUT/rpm.tsv" <<'PY'
import sys, time, rpm
def split(s):
    e = None
    if ":" in s: e, s = s.split(":", 1)
    r = None
    if "-" in s: s, r = s.rsplit("-", 1)
    return (e, s, r)
p = [tuple(map(split, l.rstrip("\n").split("\t"))) for l in open(sys.argv[1])]
n = 0; t0 = time.process_time()
while time.process_time() - t0 < 1:
    for a, b in p: rpm.labelCompare(a, b)
    n += len(p)
print("python3-rpm rpm.labelCompare\t%.0f" % (n / (time.process_time() - t0)))
PY
	;;
	pypi) /usr/bin/python3 - "$OUT/pypi.tsv" <<'PY'
import sys, time
from packaging.version import Version
p = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
n = 0; t0 = time.process_time()
while time.process_time() - t0 < 1:
    for a, b in p: Version(a) < Version(b)
    n += len(p)
print("python3-packaging Version (parse both + compare)\t%.0f" % (n / (time.process_time() - t0)))
PY
	;;
	npm) NODE_PATH="$BUILD/oracle-node/node_modules:$BUILD/vercmp-oracle/oracle-node/node_modules" node -e '
const s = require("semver"); const fs = require("fs");
const p = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(l => l.split("\t"));
let n = 0; const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const t0 = cpu(); let t = 0;
while (t < 1) { for (const [a, b] of p) { try { s.compare(a, b); } catch (e) {} } n += p.length; t = cpu() - t0; }
console.log("node semver.compare\t" + Math.round(n / t));' "$OUT/npm.tsv" 2>/dev/null || echo "node semver (not installed)	-"
	;;
	*) echo "-	-" ;;
	esac
}
for s in deb rpm apk semver npm pypi maven gem go cargo nuget composer; do
	r=$("$OUT/bench_vercmp" "$s" "$OUT/$s.tsv" 1)
	o=$(oracle "$s" 2>/dev/null || echo "-	-")
	printf '%s\t%s\n' "$r" "$o"
done
