"""The public contract of `bulwark vercmp` (docs/vercmp.md): output, exit
codes, --batch and --in."""
import os
import subprocess
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BULWARK = os.environ.get("BULWARK", os.path.join(ROOT, "build", "src", "cli", "bulwark"))


@pytest.fixture(scope="module", autouse=True)
def need_binary():
    if not os.access(BULWARK, os.X_OK):
        pytest.skip("bulwark binary not found at %s (set BULWARK)" % BULWARK)


def run(*args, stdin=None):
    return subprocess.run([BULWARK, "vercmp"] + list(args), input=stdin, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)


@pytest.mark.parametrize("scheme,a,b,want", [
    ("deb", "1.0~rc1", "1.0", "<"), ("deb", "1:0.1", "2.0", ">"), ("rpm", "1.0-1", "1.0-1", "="),
    ("apk", "1.0_rc1", "1.0", "<"), ("semver", "1.0.0-alpha", "1.0.0", "<"), ("npm", "v1.2.3", "1.2.3", "="),
    ("pypi", "1.0.post1", "1.0", ">"), ("maven", "1.0-SNAPSHOT", "1.0", "<"), ("gem", "1.0.a", "1.0", "<"),
    ("go", "v1.2", "v1.2.0", "="), ("cargo", "1.0.0", "1.0.1", "<"), ("nuget", "1.0", "1.0.0.0", "="),
    ("composer", "1.0.0-beta2", "1.0.0-RC1", "<"),
])
def test_compare_prints_the_order(scheme, a, b, want):
    p = run(scheme, a, b)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == want + "\n"


def test_versions_that_look_like_options_need_no_double_dash():
    p = run("semver", "1.0.0", "2.0.0")
    assert p.stdout == b"<\n"
    p = run("deb", "--", "1.0", "1.1")
    assert p.stdout == b"<\n"


def test_invalid_version_is_exit_3_with_the_reason():
    p = run("deb", "a1.0", "1.0")
    assert p.returncode == 3
    assert b"does not start with digit" in p.stderr
    assert p.stdout == b""


def test_unknown_scheme_is_a_usage_error():
    p = run("nosuch", "1", "2")
    assert p.returncode == 2
    assert b"unknown scheme" in p.stderr


def test_missing_operands_are_a_usage_error():
    assert run("deb", "1.0").returncode == 2
    assert run().returncode == 2


def test_in_prints_true_or_false_and_exits_0():
    p = run("npm", "--in", "1.2.3", "^1.0.0")
    assert (p.returncode, p.stdout) == (0, b"true\n")
    p = run("npm", "--in", "2.0.0", "^1.0.0")
    assert (p.returncode, p.stdout) == (0, b"false\n")
    p = run("pypi", "--in", "1.5", ">=1.0,<2")
    assert p.stdout == b"true\n"
    p = run("maven", "--in", "2.0", "[1.0,2.0)")
    assert p.stdout == b"false\n"
    p = run("npm", "--in", "1.2.3", "garbage")
    assert p.returncode == 3


def test_batch_answers_every_line():
    data = b"1.0\t2.0\n2.0\t1.0\n1.0\t1.0\nbad\t1.0\nno tab here\n1.0\t1.0~rc1"
    p = run("deb", "--batch", stdin=data)
    assert p.returncode == 0
    assert p.stdout == b"-1\n1\n0\ninvalid\ninvalid\n1\n"


def test_batch_in_mode():
    p = run("npm", "--batch", "--in", stdin=b"1.2.3\t^1.0.0\n2.0.0\t^1.0.0\nx\t*\n")
    assert p.stdout == b"true\nfalse\ninvalid\n"


def test_batch_is_fast_for_a_million_lines():
    line = b"1:2.30-21+deb12u1\t1:2.30-21+deb12u2\n"
    data = line * 1000000
    before = os.times()
    p = subprocess.run([BULWARK, "vercmp", "deb", "--batch"], input=data, stdout=subprocess.PIPE)
    after = os.times()
    assert p.returncode == 0
    assert p.stdout == b"-1\n" * 1000000
    # CPU of this child alone (os.times() counts every child the session waited for);
    # generous enough for the ASan build, a regression to per-line process costs fails it
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    assert cpu < 30, cpu


def test_batch_takes_a_one_megabyte_line():
    big = b"1." + b"1" * (1 << 20)
    p = run("deb", "--batch", stdin=big + b"\t" + big + b"\n")
    assert p.stdout == b"0\n"
