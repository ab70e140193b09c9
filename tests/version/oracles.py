"""Oracle runners for the version-comparison differential tests.

Each oracle reads the same lines `bulwark vercmp SCHEME --batch [--in]`
reads (A<TAB>B, or VERSION<TAB>RANGE) and answers one line each: -1, 0, 1,
true, false, invalid -- or "skip" for a case the oracle cannot judge
(documented per oracle below)."""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SYS_PY = "/usr/bin/python3"


def _run(cmd, lines, env=None, cwd=None):
    data = "".join(l + "\n" for l in lines).encode("utf-8", "surrogateescape")
    p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    if p.returncode != 0:
        raise RuntimeError("oracle %r failed: %s" % (cmd, p.stderr.decode(errors="replace")[-2000:]))
    out = p.stdout.decode("utf-8", "replace").split("\n")
    if out and out[-1] == "":
        out.pop()
    if len(out) != len(lines):
        raise RuntimeError("oracle %r answered %d lines for %d" % (cmd, len(out), len(lines)))
    return out


# ---- dpkg: libdpkg's parseversion() + dpkg_version_compare() ------------

def dpkg_oracle_binary(build_dir):
    """Compile tests/version/dpkg_oracle.c against Debian's libdpkg-dev, or
    return None when libdpkg is not installed."""
    if not shutil.which("pkg-config") or subprocess.run(
            ["pkg-config", "--exists", "libdpkg"]).returncode != 0:
        return None
    out = os.path.join(build_dir, "dpkg_oracle")
    src = os.path.join(HERE, "dpkg_oracle.c")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(src):
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libdpkg"], stdout=subprocess.PIPE,
                               check=True).stdout.decode().split()
        subprocess.run(["cc", "-O2", "-o", out, src] + flags, check=True)
    return out


def dpkg(lines, build_dir):
    exe = dpkg_oracle_binary(build_dir)
    if exe:
        return _run([exe], lines)
    # fallback: APT's comparison (same order) for pairs, no validity notion
    script = (
        "import sys, apt_pkg\napt_pkg.init_system()\n"
        "for l in sys.stdin.read().split('\\n')[:-1]:\n"
        "    a, _, b = l.partition('\\t')\n"
        "    r = apt_pkg.version_compare(a, b)\n"
        "    print(-1 if r < 0 else (1 if r > 0 else 0))\n")
    return _run([SYS_PY, "-c", script], lines)


# ---- rpm: python3-rpm labelCompare --------------------------------------

RPM_SCRIPT = r"""
import sys, rpm
def split(s):
    e = None
    if ':' in s:
        e, s = s.split(':', 1)
    r = None
    if '-' in s:
        s, r = s.rsplit('-', 1)
    return (e, s, r)
for l in sys.stdin.read().split('\n')[:-1]:
    a, _, b = l.partition('\t')
    r = rpm.labelCompare(split(a), split(b))
    print(-1 if r < 0 else (1 if r > 0 else 0))
"""


def rpm(lines):
    return _run([SYS_PY, "-c", RPM_SCRIPT], lines)


# ---- node-semver ----------------------------------------------------------

NODE_SCRIPT = r"""
const s = require('semver');
const mode = process.argv[1];
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
lines.pop();
const out = [];
for (const l of lines) {
  const i = l.indexOf('\t');
  const a = l.slice(0, i), b = l.slice(i + 1);
  if (mode === 'cmp') {
    try { out.push(String(s.compare(a, b))); } catch (e) { out.push('invalid'); }
  } else {
    if (s.valid(a) === null || s.validRange(b) === null) out.push('invalid');
    else out.push(s.satisfies(a, b) ? 'true' : 'false');
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
"""


def node_semver_dir(build_dir):
    """node_modules with semver@7 under the build dir (npm install once)."""
    d = os.path.join(build_dir, "oracle-node")
    if os.path.exists(os.path.join(d, "node_modules", "semver", "package.json")):
        return d
    if not shutil.which("npm") or not shutil.which("node"):
        return None
    os.makedirs(d, exist_ok=True)
    p = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", d, "semver@7"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        return None
    return d


def npm(lines, node_dir, mode):
    env = dict(os.environ, NODE_PATH=os.path.join(node_dir, "node_modules"))
    return _run(["node", "-e", NODE_SCRIPT, mode], lines, env=env)


def node_semver_version(node_dir):
    import json
    with open(os.path.join(node_dir, "node_modules", "semver", "package.json")) as f:
        return json.load(f)["version"]


# ---- PEP 440: Debian's python3-packaging ---------------------------------

PYPI_SCRIPT = r"""
import sys, itertools, re
from packaging.version import Version, InvalidVersion
from packaging.specifiers import SpecifierSet, Specifier, InvalidSpecifier
mode = sys.argv[1]

def ver(s):
    try:
        return Version(s)
    except InvalidVersion:
        return None

_prefix = re.compile(r"^([0-9]+)((?:a|b|c|rc)[0-9]+)$")
def split23(v):
    r = []
    for item in v.split('.'):
        m = _prefix.search(item)
        r.extend(m.groups() if m else [item])
    return r

def known_difference(item, spec):
    # Cases where packaging 23.0 is known to differ from the newer upstream
    # behaviour bulwark follows (docs/vercmp.md); the oracle cannot judge them.
    op, v = spec.operator, spec.version
    if op == '===':
        return ver(v) is None
    if op in ('==', '!=', '~=') and (v.endswith('.*') or op == '~=') and ('!' in v or item.epoch != 0):
        return True
    if op == '>' and item.local is not None:
        sv = Version(v)
        return Version(item.base_version) == Version(sv.base_version) and Version(item.public) != sv
    if op == '~=':
        sv = Version(v)
        parts = list(itertools.takewhile(lambda x: not any(x.startswith(p) for p in ('dev', 'a', 'b', 'rc', 'post')), split23(v)))[:-1]
        try:
            pv = Version('.'.join(parts))
        except InvalidVersion:
            return True
        return pv.epoch != sv.epoch or pv.release != sv.release[:-1] or pv.pre or pv.post or pv.dev or pv.local
    return False

out = []
for l in sys.stdin.read().split('\n')[:-1]:
    a, _, b = l.partition('\t')
    if mode == 'cmp':
        x, y = ver(a), ver(b)
        if x is None or y is None:
            out.append('invalid')
        else:
            out.append('-1' if x < y else ('1' if x > y else '0'))
        continue
    x = ver(a)
    try:
        ss = SpecifierSet(b)
    except InvalidSpecifier:
        ss = None
    if x is None or ss is None:
        out.append('invalid')
        continue
    # packaging 23.0's SpecifierSet drops a specifier that equals another after
    # canonicalisation, even '=== 1.0' next to '===1' (=== is exact string
    # equality in PEP 440): the oracle cannot judge such a set
    if len([p for p in b.split(',') if p.strip()]) != len(ss):
        out.append('skip')
        continue
    try:
        if any(known_difference(x, s) for s in ss):
            out.append('skip')
            continue
        out.append('true' if ss.contains(x) else 'false')
    except InvalidVersion:
        out.append('invalid')
print('\n'.join(out))
"""


def pypi(lines, mode):
    if not lines:
        return []
    return _run([SYS_PY, "-c", PYPI_SCRIPT, mode], lines)


def have_python_module(name):
    return subprocess.run([SYS_PY, "-c", "import " + name], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0
