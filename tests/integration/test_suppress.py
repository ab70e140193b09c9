"""Suppression end to end: .bulwarkignore (read from the current directory, or
--ignorefile) and Trivy's .trivyignore lines over every finding kind (vulnerabilities
by id and alias, Dockerfile lint findings by peer id, secrets by path), expiry with its
warning, --show-suppressed, --exit-code ignoring suppressed findings, OpenVEX and
CycloneDX VEX documents over vulnerability findings, and malformed files (exit 3 naming
the file and line or field; 2 for a usage problem)."""

import json

import pytest

from test_vuln import DATA, by_pkg_id, debian11_root


@pytest.fixture(scope="module")
def vdb(bulwark, tmp_path_factory):
    db = tmp_path_factory.mktemp("vdb") / "project.db"
    rc, out, err = bulwark.run(["db", "import", "--db", db, DATA / "records", DATA / "distro", DATA / "enrich"])
    assert rc == 0, err
    return db


@pytest.fixture
def root(tmp_path):
    return debian11_root(tmp_path / "root", [
        ("xserver-common", "2:1.20.11-1+deb11u5", "xorg-server", "all"),
        ("dino-im", "0.2.0-3"),
    ])


def scan(bulwark, vdb, root, *args, cwd=None, expect=0):
    rc, out, err = bulwark.run(["fs", "--db", vdb, "--scanners", "vuln", "-f", "json", *args, root], cwd=cwd)
    assert rc == expect, err
    return json.loads(out), err


def test_bulwarkignore_in_cwd_suppresses_by_alias_with_reason(bulwark, vdb, root, tmp_path):
    (tmp_path / ".bulwarkignore").write_text(
        "# not reachable: X is not installed in this image\n"
        "CVE-2099-1001 exp:2999-12-31\n")
    doc, _ = scan(bulwark, vdb, root, cwd=tmp_path)
    f = by_pkg_id(doc)
    x = f[("xserver-common", "DSA-9001-1")]
    assert x["status"] == "suppressed"
    assert x["suppressed_by"] == ".bulwarkignore:2: not reachable: X is not installed in this image"
    assert f[("dino-im", "CVE-2099-1000")]["status"] == "fail"
    assert "suppressed_by" not in f[("dino-im", "CVE-2099-1000")]
    # the same scan elsewhere (no ignore file) suppresses nothing
    doc, _ = scan(bulwark, vdb, root, cwd=root)
    assert all(v["status"] == "fail" for v in by_pkg_id(doc).values())


def test_table_hides_suppressed_unless_asked_and_exit_code_ignores_them(bulwark, vdb, root, tmp_path):
    ign = tmp_path / "ign"
    ign.write_text("DSA-9001-1 # accepted\nCVE-2099-1000 dino-im # upstream dead\n")
    base = ["fs", "--db", vdb, "--scanners", "vuln", "--ignorefile", ign]
    rc, out, err = bulwark.run(base + ["--exit-code", "4", root])
    assert rc == 0, err
    assert "DSA-9001-1" not in out and "CVE-2099-1000" not in out
    assert "2 suppressed" in out
    rc, out, err = bulwark.run(base + ["--show-suppressed", root])
    assert rc == 0
    assert "DSA-9001-1" in out and "suppressed by: " + str(ign) + ":1: accepted" in out
    # without the file: findings count again
    rc, out, err = bulwark.run(["fs", "--db", vdb, "--scanners", "vuln", "--exit-code", "4", root], cwd=tmp_path)
    assert rc == 4


def test_scope_by_package_name_and_purl(bulwark, vdb, root, tmp_path):
    ign = tmp_path / "ign"
    ign.write_text("CVE-2099-1000 some-other-package\nDSA-9001-1 pkg:deb/debian/xserver-common\n")
    doc, _ = scan(bulwark, vdb, root, "--ignorefile", ign)
    f = by_pkg_id(doc)
    assert f[("dino-im", "CVE-2099-1000")]["status"] == "fail"
    assert f[("xserver-common", "DSA-9001-1")]["status"] == "suppressed"


def test_expired_entry_stops_suppressing_and_warns_naming_file_and_line(bulwark, vdb, root, tmp_path):
    ign = tmp_path / "ign"
    ign.write_text("# old\n\nDSA-9001-1 exp:2001-02-03\n")
    doc, err = scan(bulwark, vdb, root, "--ignorefile", ign, "--exit-code", "6", expect=6)
    assert by_pkg_id(doc)[("xserver-common", "DSA-9001-1")]["status"] == "fail"
    msg = f"{ign}:3: the ignore entry for DSA-9001-1 expired on 2001-02-03 and no longer suppresses"
    assert msg in doc["warnings"]
    assert msg in err
    rc, out, err = bulwark.run(["fs", "--db", vdb, "--scanners", "vuln", "--ignorefile", ign, root])
    assert "warning: " + msg in out


def test_trivyignore_lines_are_accepted(bulwark, vdb, root, tmp_path):
    ign = tmp_path / ".trivyignore"
    ign.write_text("# Accept the risk\nCVE-2099-1000\n\n# Accept the risk until 2999\nCVE-2099-1002 exp:2999-01-01\n"
                   "# Ignore misconfigurations\nAVD-DS-0002\n")
    doc, _ = scan(bulwark, vdb, root, "--ignorefile", ign)
    f = by_pkg_id(doc)
    assert f[("dino-im", "CVE-2099-1000")]["suppressed_by"] == f"{ign}:2: Accept the risk"
    assert f[("xserver-common", "DSA-9001-1")]["suppressed_by"] == f"{ign}:5: Accept the risk until 2999"


def test_lint_findings_by_rule_and_peer_id(bulwark, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM debian:12\nRUN apt-get install -y curl\nUSER nobody\n"
                                         "HEALTHCHECK CMD true\n")
    rc, out, err = bulwark.run(["lint", "-f", "json", "Dockerfile"], cwd=tmp_path)
    ids = {f["id"]: f for f in json.loads(out)["findings"]}
    assert "BW-DF-042" in ids and "DL3008" in ids["BW-DF-042"]["equivalent"]
    (tmp_path / ".bulwarkignore").write_text("DL3008 # pinned by the base image\nbw-df-052 Dockerfile\n")
    rc, out, err = bulwark.run(["lint", "-f", "json", "Dockerfile"], cwd=tmp_path)
    got = {f["id"]: f for f in json.loads(out)["findings"]}
    assert got["BW-DF-042"]["status"] == "suppressed"
    assert got["BW-DF-042"]["suppressed_by"] == ".bulwarkignore:1: pinned by the base image"
    assert got["BW-DF-052"]["status"] == "suppressed"
    # every remaining finding suppressed: --exit-code says clean
    (tmp_path / "all").write_text("".join(f"{i}\n" for i in ids))
    rc, out, err = bulwark.run(["lint", "--ignorefile", "all", "--exit-code", "7", "Dockerfile"], cwd=tmp_path)
    assert rc == 0, out + err
    rc, out, err = bulwark.run(["lint", "--exit-code", "7", "Dockerfile"], cwd=tmp_path)
    assert rc == 7


def test_secret_findings_by_path_glob(bulwark, tmp_path):
    (tmp_path / "root/test/fixtures").mkdir(parents=True)
    (tmp_path / "root/app").mkdir(parents=True)
    key = "AKIA" + "Q7ZKXW3M5NPR2T4V"
    (tmp_path / "root/test/fixtures/creds.txt").write_text(f"aws_access_key_id = {key}\n")
    (tmp_path / "root/app/creds.txt").write_text(f"aws_access_key_id = {key}\n")
    rep = bulwark.json(["fs", "--scanners", "secret", "-f", "json", tmp_path / "root"])
    sec = [f for f in rep["findings"] if f["kind"] == "secret"]
    assert len(sec) >= 2
    rule = [f["id"] for f in sec if f["location"]["path"] == "/test/fixtures/creds.txt"][0]
    (tmp_path / "ign").write_text(f"{rule} test/** # fixtures are fake\n")
    rep = bulwark.json(["fs", "--scanners", "secret", "-f", "json", "--ignorefile", tmp_path / "ign",
                        tmp_path / "root"])
    st = {(f["id"], f["location"]["path"]): f["status"] for f in rep["findings"] if f["kind"] == "secret"}
    assert st[(rule, "/test/fixtures/creds.txt")] == "suppressed"
    assert st[(rule, "/app/creds.txt")] == "fail"


def purl_of(doc, name):
    return [f["package"]["purl"] for f in doc["findings"] if f["package"]["name"] == name][0]


def test_openvex_not_affected_and_fixed(bulwark, vdb, root, tmp_path):
    doc, _ = scan(bulwark, vdb, root)
    purl = purl_of(doc, "xserver-common")
    bare = purl.split("@")[0]
    vex = tmp_path / "app.openvex.json"
    vex.write_text(json.dumps({
        "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.test/vex/1",
        "author": "tests", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
        "statements": [
            {"vulnerability": {"name": "CVE-2099-1002"},
             "products": [{"@id": "pkg:oci/app", "subcomponents": [{"@id": bare}]}],
             "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
             "impact_statement": "no X server runs"},
            {"vulnerability": {"name": "CVE-2099-1000"}, "products": [{"@id": "pkg:deb/debian/other"}],
             "status": "fixed"},
        ]}))
    doc, _ = scan(bulwark, vdb, root, "--vex", vex, "--exit-code", "9", expect=9)
    f = by_pkg_id(doc)
    x = f[("xserver-common", "DSA-9001-1")]
    assert x["status"] == "suppressed"
    assert x["suppressed_by"] == (f"{vex}: statements[0]: not_affected (vulnerable_code_not_in_execute_path): "
                                  "no X server runs")
    assert f[("dino-im", "CVE-2099-1000")]["status"] == "fail"  # another product


def test_cyclonedx_vex_and_two_documents(bulwark, vdb, root, tmp_path):
    doc, _ = scan(bulwark, vdb, root)
    dino = purl_of(doc, "dino-im")
    cdx = tmp_path / "vex.cdx.json"
    cdx.write_text(json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "components": [{"type": "library", "name": "dino-im", "bom-ref": "dino", "purl": dino}],
        "vulnerabilities": [{"id": "CVE-2099-1000",
                             "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                             "affects": [{"ref": "dino"}]}]}))
    ovex = tmp_path / "o.json"
    ovex.write_text(json.dumps({"statements": [{"vulnerability": "DSA-9001-1", "status": "fixed"}]}))
    doc, _ = scan(bulwark, vdb, root, "--vex", cdx, "--vex", ovex, "--exit-code", "9")
    f = by_pkg_id(doc)
    assert f[("dino-im", "CVE-2099-1000")]["suppressed_by"] == f"{cdx}: vulnerabilities[0]: not_affected (code_not_reachable)"
    assert f[("xserver-common", "DSA-9001-1")]["suppressed_by"] == f"{ovex}: statements[0]: fixed"
    # SARIF carries them as suppressions
    rc, out, err = bulwark.run(["fs", "--db", vdb, "--scanners", "vuln", "-f", "sarif", "--vex", cdx, root])
    res = [r for run in json.loads(out)["runs"] for r in run["results"] if r["ruleId"] == "CVE-2099-1000"]
    assert res and res[0].get("suppressions")


@pytest.mark.parametrize("text, msg", [
    ("CVE-1 exp:2024-02-30\n", ":1: bad expiry date 'exp:2024-02-30'"),
    ("# c\nCVE-1\n'CVE-2'\n", ":3: ''CVE-2'' is not a finding id"),
])
def test_malformed_ignore_file_exits_3_naming_file_and_line(bulwark, vdb, root, tmp_path, text, msg):
    ign = tmp_path / "bad"
    ign.write_text(text)
    rc, out, err = bulwark.run(["fs", "--db", vdb, "--scanners", "vuln", "--ignorefile", ign, root])
    assert rc == 3
    assert f"{ign}{msg}" in err


def test_malformed_default_ignore_file_fails_lint_too(bulwark, tmp_path):
    (tmp_path / ".bulwarkignore").write_text("CVE-1 exp:tomorrow\n")
    (tmp_path / "Dockerfile").write_text("FROM debian:12\n")
    rc, out, err = bulwark.run(["lint", "Dockerfile"], cwd=tmp_path)
    assert rc == 3 and ".bulwarkignore:1: bad expiry date" in err


@pytest.mark.parametrize("doc, msg", [
    ({"statements": [{"vulnerability": "CVE-1", "status": "not_affected"}]},
     "statements[0]: status not_affected needs a justification or an impact_statement"),
    ({"statements": [{"vulnerability": "CVE-1", "status": "maybe"}]},
     "statements[0].status: 'maybe' is not an OpenVEX status"),
    ({"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": "not_affected"},
                                                     "affects": [{"ref": "nothing"}]}]},
     "vulnerabilities[0].affects[0].ref: 'nothing' names no component"),
    ({"hello": 1}, "neither OpenVEX"),
])
def test_malformed_vex_exits_3_naming_the_field(bulwark, vdb, root, tmp_path, doc, msg):
    v = tmp_path / "v.json"
    v.write_text(json.dumps(doc))
    rc, out, err = bulwark.run(["fs", "--db", vdb, "--scanners", "vuln", "--vex", v, root])
    assert rc == 3
    assert f"{v}: {msg}" in err


def test_missing_files_and_usage(bulwark, vdb, root, tmp_path):
    rc, out, err = bulwark.run(["fs", "--db", vdb, "--ignorefile", tmp_path / "nope", root])
    assert rc == 3 and "nope" in err
    rc, out, err = bulwark.run(["fs", "--db", vdb, "--vex", tmp_path / "nope.json", root])
    assert rc == 3 and "nope.json" in err
    rc, out, err = bulwark.run(["fs", "--db", vdb, root, "--vex"])
    assert rc == 2
    v = tmp_path / "bad.json"
    v.write_text("{\n  \"statements\": [,]\n}")
    rc, out, err = bulwark.run(["fs", "--db", vdb, "--vex", v, root])
    assert rc == 3 and f"{v}: line 2" in err
    for cmd in ("image", "fs", "lint", "audit"):
        rc, out, err = bulwark.run([cmd, "--help"])
        assert "--ignorefile" in out and "--vex" in out and "--show-suppressed" in out
