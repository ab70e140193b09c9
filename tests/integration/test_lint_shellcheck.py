"""bulwark lint's ShellCheck findings (SCnnnn) through Debian's shellcheck:
positions mapped back to the Dockerfile, pragmas, --disable, --no-shellcheck,
a clean skip when shellcheck is absent, many RUNs in batches; and, when a real
hadolint binary is installed, Hadolint's own verdicts as an oracle."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BULWARK = os.environ.get("BULWARK", str(ROOT / "build/src/cli/bulwark"))
SHELLCHECK = shutil.which("shellcheck")
needs_shellcheck = pytest.mark.skipif(not SHELLCHECK, reason="shellcheck is not installed (deps/debian-packages.txt lists it)")


def lint(tmp_path, text, *args, env=None):
    f = tmp_path / "Dockerfile"
    f.write_text(text)
    p = subprocess.run([BULWARK, "lint", "--format", "json", *args, str(f)], capture_output=True, timeout=300, env=env)
    return p, json.loads(p.stdout)


def sc(report, status=None):
    return [f for f in report["findings"] if re.fullmatch(r"SC\d{4}", f["id"]) and (status is None or f["status"] == status)]


DOCKERFILE = """\
FROM debian:12
ARG version
RUN echo "$version" && \\
    # a comment line BuildKit drops
    echo `date` \\
  && cd /tmp
# hadolint ignore=SC2086
RUN echo $undefined_var
RUN <<EOF
set -e
echo $other
EOF
"""


@needs_shellcheck
def test_findings_at_dockerfile_positions_with_pragmas(tmp_path):
    p, rep = lint(tmp_path, DOCKERFILE)
    got = {(f["id"], f["location"]["line"], f["location"]["column"], f["status"]) for f in sc(rep)}
    assert ("SC2006", 5, 10, "fail") in got  # `date`, on its continuation line
    assert ("SC2164", 6, 6, "fail") in got  # cd /tmp
    assert ("SC2086", 8, 10, "suppressed") in got  # the pragma above the RUN
    assert ("SC2154", 8, 10, "fail") in got  # not named by the pragma
    assert ("SC2154", 11, 6, "fail") in got  # inside the heredoc script
    assert not any(f["location"]["line"] == 3 for f in sc(rep))  # $version is an ARG
    by_id = {f["id"]: f for f in sc(rep)}
    assert by_id["SC2006"]["severity"] == "INFO" and by_id["SC2164"]["severity"] == "MEDIUM"
    assert by_id["SC2006"]["remediation"].endswith("shellcheck.net/wiki/SC2006")
    # SARIF: valid, each SC rule with its wiki page as helpUri
    s = subprocess.run([BULWARK, "lint", "--format", "sarif", str(tmp_path / "Dockerfile")], capture_output=True, timeout=300)
    rules = {r["id"]: r for r in json.loads(s.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["SC2006"]["helpUri"] == "https://www.shellcheck.net/wiki/SC2006"
    assert p.returncode == 1


@needs_shellcheck
def test_disable_and_no_shellcheck(tmp_path):
    _, rep = lint(tmp_path, DOCKERFILE, "--disable", "SC2154", "--ignore", "SC2006")
    ids = {f["id"] for f in sc(rep)}
    assert "SC2154" not in ids and "SC2006" not in ids and "SC2164" in ids
    (tmp_path / "cfg.yaml").write_text("shellcheck: false\n")
    _, rep = lint(tmp_path, DOCKERFILE, "-c", str(tmp_path / "cfg.yaml"))
    assert sc(rep) == [] and not rep.get("warnings")
    _, rep = lint(tmp_path, DOCKERFILE, "--no-shellcheck")
    assert sc(rep) == [] and not rep.get("warnings")


def test_absent_shellcheck_is_a_clean_skip(tmp_path):
    env = dict(os.environ, PATH="/nonexistent")
    p, rep = lint(tmp_path, "FROM debian:12\nUSER 1000\nHEALTHCHECK NONE\nRUN echo $x\n", "--failure-threshold", "error", env=env)
    assert p.returncode == 0, p.stderr
    assert sc(rep) == []
    assert any("shellcheck not found" in w for w in rep.get("warnings", []))


@needs_shellcheck
def test_many_runs_in_batches(tmp_path):
    # 130 RUNs: on two or more processors, two shellcheck runs (64 scripts each at least);
    # every finding comes back to its own RUN
    lines = ["FROM debian:12"] + ["RUN echo $v%d" % i for i in range(130)]
    _, rep = lint(tmp_path, "\n".join(lines) + "\n", "--disable", "DL3059")
    found = {(f["location"]["line"], f["title"]) for f in sc(rep) if f["id"] == "SC2154"}
    assert found == {(i + 2, "v%d is referenced but not assigned." % i) for i in range(130)}


# ---- Hadolint as an oracle, when a hadolint binary is installed ----------------

HADOLINT = os.environ.get("BW_HADOLINT") or shutil.which("hadolint")


def hadolint_cases(limit):
    """(rule, expect, dockerfile) of the generated Hadolint spec cases, divergences excluded."""
    out, cur = [], None
    for line in (ROOT / "tests/unit/lint/cases/hadolint.cases").read_text().splitlines(keepends=True):
        if line.startswith("%% case "):
            if cur and cur["rule"] and not cur["diverges"]:
                out.append(cur)
            cur = {"rule": None, "expect": None, "diverges": False, "text": ""}
        elif cur is None:
            continue
        elif line.startswith("%% diverges"):
            cur["diverges"] = True
        elif line.startswith("%% config"):
            cur["diverges"] = True  # bulwark's configuration, not Hadolint's
        elif line.startswith("%% expect ") or line.startswith("%% reject "):
            cur["expect"] = line.startswith("%% expect")
            cur["rule"] = line.split()[2]
        else:
            cur["text"] += line
    if cur and cur["rule"] and not cur["diverges"]:
        out.append(cur)
    return out[:limit]


@pytest.mark.skipif(not HADOLINT, reason="no hadolint binary (not packaged by Debian; set BW_HADOLINT)")
def test_hadolint_oracle_agrees(tmp_path):
    disagree = []
    for i, c in enumerate(hadolint_cases(400)):
        f = tmp_path / ("Dockerfile.%d" % i)
        f.write_text(c["text"])
        h = subprocess.run([HADOLINT, "--no-fail", "--format", "json", str(f)], capture_output=True, timeout=60)
        theirs = {x["code"] for x in json.loads(h.stdout or b"[]")}
        if (c["rule"] in theirs) != c["expect"]:
            continue  # the installed hadolint is not the version the cases came from
        b = subprocess.run([BULWARK, "lint", "--no-shellcheck", "--no-fail", "--format", "json", str(f)], capture_output=True, timeout=60)
        ours = {e for x in json.loads(b.stdout)["findings"] if x["status"] != "suppressed" for e in x.get("equivalent", [])}
        if (c["rule"] in ours) != (c["rule"] in theirs):
            disagree.append((c["rule"], c["text"]))
    assert not disagree, disagree[:5]
