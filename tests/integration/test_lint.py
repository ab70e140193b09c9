"""bulwark lint against real files: formats, positions, hostile input, config,
inline ignores, SARIF validated against the official SARIF 2.1.0 schema."""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BULWARK = os.environ.get("BULWARK", str(ROOT / "build/src/cli/bulwark"))
SCHEMA = ROOT / "tests/schemas/sarif-schema-2.1.0.json"


def run(*args, stdin=None):
    return subprocess.run([BULWARK, "lint", *args], input=stdin, capture_output=True, timeout=120)


def lint_json(*args, stdin=None):
    p = run("--format", "json", *args, stdin=stdin)
    return p, json.loads(p.stdout)


def ids(report):
    return {(f["id"], f["location"].get("line")) for f in report["findings"] if f["status"] != "suppressed"}


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


BAD = """\
# syntax=docker/dockerfile:1
FROM debian:latest
RUN apt-get update && \\
    apt-get install curl
RUN cd /src && sudo make install
CMD node server.js
"""


def test_findings_carry_rule_peer_ids_and_positions(tmp):
    f = tmp / "Dockerfile"
    f.write_text(BAD)
    p, rep = lint_json(str(f))
    assert p.returncode == 1, p.stderr  # findings at or above Hadolint's default threshold (info)
    assert rep["schema"] == "bulwark.report/v1"
    assert rep["target"]["type"] == "dockerfile"
    by = {x["id"]: x for x in rep["findings"]}
    assert by["BW-DF-002"]["equivalent"][:2] == ["DL3007", "DS001"]
    apt = by["BW-DF-042"]  # apt-get install without pins, on the continuation line
    assert apt["location"]["line"] == 4 and apt["location"]["column"] == 5
    assert apt["location"]["path"] == str(f)
    assert "DL3008" in apt["equivalent"]
    sudo = by["BW-DF-071"]
    assert sudo["location"]["line"] == 5 and sudo["location"]["column"] == 16
    assert by["BW-DF-021"]["kind"] == "misconfiguration"


def test_stdin_and_exit_code_with_severity(tmp):
    p = run("--exit-code", "7", "--severity", "HIGH", "-", stdin=BAD.encode())
    assert p.returncode == 7
    p = run("--exit-code", "7", "--severity", "CRITICAL", "-", stdin=BAD.encode())
    assert p.returncode == 0
    p, rep = lint_json("-", stdin=b"FROM scratch\nCOPY app /\nUSER 1000\nHEALTHCHECK NONE\n")
    assert rep["target"]["name"] == "stdin"


def test_sarif_is_valid_sarif_2_1_0(tmp):
    jsonschema = pytest.importorskip("jsonschema")
    a = tmp / "a.Dockerfile"
    a.write_text(BAD)
    b = tmp / "dir with space" / "Dockerfile"
    b.parent.mkdir()
    b.write_text("FROM alpine:3.20\n# bulwark ignore=BW-DF-054\nRUN apk add curl\nEXPOSE 22\n")
    bad = tmp / "binary"
    bad.write_bytes(b"\x7fELF\x00\x01")
    p = run("--format", "sarif", str(a), str(b), str(bad))
    assert p.returncode == 3
    doc = json.loads(p.stdout)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    run0 = doc["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    results = run0["results"]
    assert {r["id"] for r in rules} == {r["ruleId"] for r in results}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert region["endColumn"] > region["startColumn"] or region["endLine"] > region["startLine"]
    sup = [r for r in results if r.get("suppressions")]
    assert sup and sup[0]["ruleId"] == "BW-DF-054"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert any("dir%20with%20space" in u for u in uris)
    notes = run0["invocations"][0]["toolExecutionNotifications"]
    assert "binary" in notes[0]["message"]["text"]


def test_hostile_inputs_are_errors_with_positions_and_others_still_linted(tmp):
    files = {}
    files["binary"] = b"\x00\x01\x02\xff" * 64
    files["huge_line"] = b"FROM debian:12\nRUN echo " + b"a" * (10 * 1024 * 1024) + b" && sudo true\n"
    files["unterminated"] = b"FROM debian:12\nRUN <<EOF\necho hi\n"
    files["unknown"] = b"FROM debian:12\nFROBNICATE x\nRUN sudo true\n"
    files["badjson"] = b'FROM debian:12\nCMD ["a", \'b\']\n'
    files["latin1"] = b"FROM debian:12\n# caf\xe9\n"
    files["toobig"] = b"#" * (17 * 1024 * 1024)
    paths = []
    for name, data in files.items():
        (tmp / name).write_bytes(data)
        paths.append(str(tmp / name))
    p, rep = lint_json(*paths)
    assert p.returncode == 3, p.stderr
    err = p.stderr.decode()
    assert "binary:1:1: not a text Dockerfile (NUL byte" in err
    assert "unterminated:2:1: unterminated heredoc <<EOF" in err
    assert "latin1:2:6: not a text Dockerfile (invalid UTF-8" in err
    assert "toobig" in err and "limit" in err
    got = {(pathlib.Path(f["location"]["path"]).name, f["id"]) for f in rep["findings"]}
    assert ("huge_line", "BW-DF-071") in got
    assert ("unknown", "BW-DF-035") in got
    assert ("unknown", "BW-DF-071") in got
    assert ("badjson", "BW-DF-037") in got
    # the 10 MiB RUN is not given to ShellCheck, and a warning says so (when shellcheck is there)
    sc = [w for w in rep["warnings"] if "ShellCheck" in w or "shellcheck" in w]
    assert len(sc) == 1 and ("huge_line:2: the RUN script is larger than" in sc[0] or "not found" in sc[0])
    assert len(rep["warnings"]) == 5
    # a lone unparsable file: exit 3, and the report is still written
    p = run("--format", "json", str(tmp / "binary"))
    assert p.returncode == 3 and json.loads(p.stdout)["findings"] == []


def test_config_file_and_command_line(tmp):
    f = tmp / "Dockerfile"
    f.write_text("FROM evil.example.com/debian:12\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n")
    cfg = tmp / "bulwark.yaml"
    cfg.write_text("disable: [DL3008]\nseverity: {DS029: CRITICAL}\ntrusted-registries: [docker.io]\n"
                   "required-labels: {org.opencontainers.image.source: url}\n")
    p, rep = lint_json("--config", str(cfg), str(f))
    found = {x["id"] for x in rep["findings"]}
    assert "BW-DF-042" not in found and "BW-DF-005" in found and "BW-DF-088" in found
    p, rep = lint_json("--trusted-registry", "*.example.com", "--disable", "BW-DF-003", str(f))
    found = {x["id"] for x in rep["findings"]}
    assert "BW-DF-005" not in found and "BW-DF-003" not in found and "BW-DF-042" in found
    bad = tmp / "bad.yaml"
    bad.write_text("disable: [NO-SUCH-RULE]\n")
    p = run("--config", str(bad), str(f))
    assert p.returncode == 2 and b"bad.yaml:1:" in p.stderr
    p = run("--config", str(tmp / "missing.yaml"), str(f))
    assert p.returncode == 2


def test_inline_ignores_keep_findings_as_suppressed(tmp):
    f = tmp / "Dockerfile"
    f.write_text("FROM debian:12\n# hadolint ignore=DL3003,DL3004\nRUN cd /x && sudo make\n"
                 "# bulwark global ignore=AVD-DS-0026\n")
    p, rep = lint_json(str(f))
    st = {x["id"]: x["status"] for x in rep["findings"]}
    assert st["BW-DF-072"] == "suppressed" and st["BW-DF-071"] == "suppressed"
    assert st["BW-DF-026"] == "suppressed"
    assert all(x["suppressed_by"] for x in rep["findings"] if x["status"] == "suppressed")
    p = run("--exit-code", "1", "--severity", "HIGH", str(f))
    assert p.returncode == 1  # BW-DF-004 (root) is not suppressed


def test_table_output_and_usage_errors(tmp):
    f = tmp / "Dockerfile"
    f.write_text(BAD)
    p = run(str(f))
    assert p.returncode == 1  # findings at or above Hadolint's default threshold (info)
    out = p.stdout.decode()
    assert "BW-DF-071" in out and f"{f}:5:16" in out and "DL3004" in out
    assert run().returncode == 2
    assert run("--format", "nope", str(f)).returncode == 2
    assert run(str(tmp / "does-not-exist")).returncode == 3


def test_rule_list_matches_documentation():
    p = subprocess.run([BULWARK, "lint", "--list-rules", "--format", "json"], capture_output=True, check=True)
    rules = json.loads(p.stdout)
    assert len(rules) >= 90
    doc = (ROOT / "docs/rules/dockerfile.md").read_text()
    for r in rules:
        assert f"## {r['id']}" in doc, r["id"]
        for e in r["equivalent"]:
            assert e in doc
    # coverage bar: every Hadolint DL rule and Trivy DS check has an equivalent
    eq = {e for r in rules for e in r["equivalent"]}
    dl = {"DL1001"} | {f"DL{n}" for n in range(3000, 3064) if n not in ()} | {"DL4000", "DL4001", "DL4003", "DL4004", "DL4005", "DL4006"}
    assert dl <= eq, sorted(dl - eq)
    ds = {f"DS{n:03d}" for n in (1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24,
                                  25, 26, 27, 29, 30, 31, 32)}
    assert ds <= eq, sorted(ds - eq)


def test_lowercase_instructions_read_the_same_under_a_turkish_locale(tmp):
    # glibc folds case by LC_CTYPE, which bulwark sets from the environment: under
    # tr_TR.UTF-8 tolower('I') is 'I', so a strcasecmp keyword match missed
    # "entrypoint" and reported it as an unknown instruction.
    src = pathlib.Path("/usr/share/i18n/locales/tr_TR")
    if not src.exists() or not shutil.which("localedef"):
        pytest.skip("no tr_TR locale source to build the locale from")
    loc = tmp / "locales"
    loc.mkdir()
    subprocess.run(["localedef", "-i", "tr_TR", "-f", "UTF-8", str(loc / "tr_TR.UTF-8")], check=True,
                   capture_output=True, timeout=120)
    f = tmp / "Dockerfile"
    f.write_text("from debian:12\nrun apt-get install -y curl\nentrypoint [\"sh\"]\nhealthcheck none\n")
    # glibc keeps the LOCPATH it parsed for good: not bulwark's leak to report
    asan = os.environ.get("ASAN_OPTIONS", "")
    env = dict(os.environ, LOCPATH=str(loc), LC_ALL="tr_TR.UTF-8",
               ASAN_OPTIONS=(asan + ":" if asan else "") + "detect_leaks=0")
    turkish = subprocess.run([BULWARK, "lint", "--format", "json", str(f)], capture_output=True, env=env,
                             timeout=120)
    plain = subprocess.run([BULWARK, "lint", "--format", "json", str(f)], capture_output=True,
                           env=dict(os.environ, LC_ALL="C.UTF-8"), timeout=120)
    assert turkish.returncode == 1 and plain.returncode == 1, turkish.stderr + plain.stderr
    assert json.loads(turkish.stdout)["findings"] == json.loads(plain.stdout)["findings"]
