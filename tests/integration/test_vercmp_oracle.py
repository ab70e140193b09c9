"""Differential tests: bulwark's comparators against the real implementations.

Each run generates BW_ORACLE_CASES (default 100000) random and adversarial
cases per oracle from a seed (BW_ORACLE_SEED, else random and printed),
feeds them through `bulwark vercmp SCHEME --batch` and through the oracle,
and requires zero disagreements, validity included where the oracle has a
notion of it. A failure prints the first disagreeing cases and the seed."""
import os
import random
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "version"))
import gen  # noqa: E402
import oracles  # noqa: E402

BULWARK = os.environ.get("BULWARK", os.path.join(ROOT, "build", "src", "cli", "bulwark"))
N = int(os.environ.get("BW_ORACLE_CASES", "100000"))
SEED = int(os.environ.get("BW_ORACLE_SEED", str(random.SystemRandom().randrange(1 << 31))))


def build_dir():
    d = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(BULWARK))))
    d = os.path.join(d, "vercmp-oracle")
    os.makedirs(d, exist_ok=True)
    return d


@pytest.fixture(scope="module", autouse=True)
def need_binary():
    if not os.access(BULWARK, os.X_OK):
        pytest.skip("bulwark binary not found at %s (set BULWARK)" % BULWARK)


def bulwark_batch(scheme, lines, in_mode=False):
    cmd = [BULWARK, "vercmp", scheme, "--batch"] + (["--in"] if in_mode else [])
    data = "".join(l + "\n" for l in lines).encode("utf-8", "surrogateescape")
    p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.returncode == 0, p.stderr.decode(errors="replace")
    out = p.stdout.decode().split("\n")
    assert out[-1] == ""
    out.pop()
    assert len(out) == len(lines)
    return out


def compare(name, lines, ours, theirs, seed, allow_skip=0.02):
    bad = []
    skipped = 0
    for l, o, t in zip(lines, ours, theirs):
        if t == "skip":
            skipped += 1
            continue
        if o != t:
            bad.append((l, o, t))
    counts = {}
    for o in ours:
        counts[o] = counts.get(o, 0) + 1
    print("%s: %d cases, seed %d, answers %s, skipped %d" % (name, len(lines), seed, counts, skipped))
    assert skipped <= allow_skip * len(lines), "%s: oracle skipped %d cases" % (name, skipped)
    if bad:
        msg = ["%s: %d disagreements (seed %d; rerun with BW_ORACLE_SEED=%d):" % (name, len(bad), seed, seed, )]
        for l, o, t in bad[:25]:
            msg.append("  %r  bulwark=%s oracle=%s" % (l, o, t))
        pytest.fail("\n".join(msg))


def make_pairs(seed_offset, one, alphabet, n=None):
    """n (default N) generated pairs (the batch format carries no newline,
    and the first tab separates the pair)."""
    n = n or N
    r = random.Random(SEED + seed_offset)
    out = []
    while len(out) < n:
        out += ["%s\t%s" % (a, b) for a, b in gen.pairs(r, n - len(out), one, alphabet)
                if "\n" not in a + b and "\t" not in a]
    return out


def test_deb_matches_libdpkg():
    exe = oracles.dpkg_oracle_binary(build_dir())
    if exe is None:
        pytest.skip("libdpkg-dev not installed: the dpkg oracle needs dpkg's own parser")
    lines = make_pairs(1, gen.deb_one, gen.DEB_ALPHA)
    compare("deb vs libdpkg", lines, bulwark_batch("deb", lines), oracles.dpkg(lines, build_dir()), SEED)


def test_deb_order_matches_apt_pkg():
    if not oracles.have_python_module("apt_pkg"):
        pytest.skip("python3-apt not installed")
    lines = make_pairs(2, gen.deb_one, gen.DEB_ALPHA)
    ours = bulwark_batch("deb", lines)
    # APT's comparator has no validity check and reads odd-but-valid dpkg
    # syntax (surrounding blanks, a signed epoch) differently from dpkg, so
    # only pairs in canonical syntax are compared against it.
    valid = [(l, o) for l, o in zip(lines, ours) if o != "invalid" and not any(
        x != x.strip(" \t") or x[:1] in "+-" for x in l.split("\t", 1))]
    assert len(valid) > 0.6 * len(lines)
    vl = [l for l, _ in valid]
    compare("deb vs apt_pkg (valid pairs)", vl, [o for _, o in valid], apt_compare(vl), SEED)


def apt_compare(lines):
    script = ("import sys, apt_pkg\napt_pkg.init_system()\n"
              "for l in sys.stdin.read().split('\\n')[:-1]:\n"
              "    a, _, b = l.partition('\\t')\n"
              "    r = apt_pkg.version_compare(a, b)\n"
              "    print(-1 if r < 0 else (1 if r > 0 else 0))\n")
    return oracles._run([oracles.SYS_PY, "-c", script], lines)


def test_rpm_matches_labelcompare():
    if not oracles.have_python_module("rpm"):
        pytest.skip("python3-rpm not installed")
    lines = make_pairs(3, gen.rpm_one, gen.RPM_ALPHA, n=int(N * 1.06))
    ours = bulwark_batch("rpm", lines)
    # rpm has no notion of an invalid version: bulwark's rejections are the
    # documented ones (empty parts, a non-numeric epoch, control characters)
    valid = []
    for l, o in zip(lines, ours):
        if o == "invalid":
            a, _, b = l.partition("\t")
            assert any(rpm_invalid(x) for x in (a, b)), "rpm: %r rejected without a documented reason" % l
        else:
            valid.append(l)
    assert len(valid) >= N
    compare("rpm vs rpm.labelCompare", valid, [o for o in ours if o != "invalid"], oracles.rpm(valid), SEED)


def rpm_invalid(s):
    if not s or any(ord(c) <= 0x20 or ord(c) == 0x7f for c in s):
        return True
    if ":" in s:
        e, s = s.split(":", 1)
        if not e.isdigit() or not e.isascii():
            return True
    if "-" in s:
        s, rel = s.rsplit("-", 1)
        if not rel:
            return True
    return not s


@pytest.fixture(scope="module")
def node_dir():
    d = oracles.node_semver_dir(build_dir())
    if d is None:
        pytest.skip("node/npm or the semver package is not available")
    return d


def test_npm_compare_matches_node_semver(node_dir):
    lines = make_pairs(4, gen.semver_one, gen.SEMVER_ALPHA)
    print("node-semver", oracles.node_semver_version(node_dir))
    compare("npm compare vs node-semver", lines, bulwark_batch("npm", lines), oracles.npm(lines, node_dir, "cmp"), SEED)


def test_semver_compare_agrees_with_node_semver_on_common_ground(node_dir):
    # SemVer 2.0 (strict) and node-semver agree wherever node's limits
    # (v prefix, trimming, 256 characters, 2^53-1) do not apply.
    r = random.Random(SEED + 5)
    lines = []
    while len(lines) < N:
        ps = gen.pairs(r, N - len(lines), lambda r: gen.semver_one(r, npm=False), gen.SEMVER_ALPHA)
        lines += ["%s\t%s" % p for p in ps if "\n" not in p[0] + p[1] and "\t" not in p[0]]
    ours = bulwark_batch("semver", lines)
    theirs = oracles.npm(lines, node_dir, "cmp")
    keep = [i for i, l in enumerate(lines) if all(common_ground(x) for x in l.split("\t"))]
    compare("semver vs node-semver (common ground)", [lines[i] for i in keep], [ours[i] for i in keep],
            [theirs[i] for i in keep], SEED)


def common_ground(x):
    import re
    return (len(x) <= 256 and x.isascii() and x == x.strip() and not x.startswith("v")
            and all(len(n) <= 15 for n in re.findall(r"\d+", x)))


def test_npm_ranges_match_node_semver(node_dir):
    r = random.Random(SEED + 6)
    lines = []
    while len(lines) < N:
        v = gen.npm_version_for_range(r)
        rg = gen.npm_range(r)
        if "\n" in v + rg or "\t" in v:
            continue
        lines.append("%s\t%s" % (v, rg))
    compare("npm satisfies vs node-semver", lines, bulwark_batch("npm", lines, True),
            oracles.npm(lines, node_dir, "range"), SEED)


def test_pypi_compare_matches_packaging():
    if not oracles.have_python_module("packaging"):
        pytest.skip("python3-packaging not installed")
    lines = make_pairs(7, gen.pep440_one, gen.PEP_ALPHA)
    compare("pypi vs packaging.Version", lines, bulwark_batch("pypi", lines), oracles.pypi(lines, "cmp"), SEED)


def test_pypi_specifiers_match_packaging():
    if not oracles.have_python_module("packaging"):
        pytest.skip("python3-packaging not installed")
    r = random.Random(SEED + 8)
    lines = []
    while len(lines) < N:
        v = gen.pep440_simple(r) if r.random() < 0.9 else gen.pep440_one(r)
        s = gen.pep440_spec(r)
        if "\n" in v + s or "\t" in v:
            continue
        lines.append("%s\t%s" % (v, s))
    compare("pypi SpecifierSet.contains vs packaging", lines, bulwark_batch("pypi", lines, True),
            oracles.pypi(lines, "in"), SEED, allow_skip=0.05)
