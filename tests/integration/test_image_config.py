"""Image-configuration rules (BW-IMG-NNN) on images built by the real engine.

tests/images/config-bad breaks every rule a busybox image can show,
config-good follows them all; config-packages-bad / -good do the same for the
package rules on the debootstrap Debian base. Each rule is checked both ways,
through the engine (docker:), a saved archive and, for the file rules, an
exported root filesystem (bulwark fs).
"""

import json
import tarfile

import pytest

BAD = "bwtest/config-bad"          # no tag on purpose: BW-IMG-011
GOOD = "bwtest/config-good:1.0"
PKG_BAD = "bwtest/config-packages-bad:1"
PKG_GOOD = "bwtest/config-packages-good:1"


def scan(bulwark, target, *extra, cmd="image"):
    rc, out, err = bulwark.run([cmd, target, "--scanners", "config", "-f", "json", *extra])
    assert rc == 0, err
    return json.loads(out)


def img_findings(report):
    return [f for f in report["findings"] if f["id"].startswith("BW-IMG-")]


def by_id(report, rid):
    return [f for f in report["findings"] if f["id"] == rid]


@pytest.fixture(scope="module")
def bad(bulwark, tiny_image, build_image, images_dir):
    build_image(BAD, images_dir / "config-bad")
    return scan(bulwark, "docker:" + BAD)


@pytest.fixture(scope="module")
def good(bulwark, tiny_image, build_image, images_dir):
    build_image(GOOD, images_dir / "config-good")
    return scan(bulwark, "docker:" + GOOD)


@pytest.fixture(scope="module")
def pkg_bad(bulwark, debian_rootfs, build_image, images_dir):
    build_image(PKG_BAD, images_dir / "config-packages-bad")
    return scan(bulwark, "docker:" + PKG_BAD)


@pytest.fixture(scope="module")
def pkg_good(bulwark, debian_rootfs, build_image, images_dir):
    build_image(PKG_GOOD, images_dir / "config-packages-good")
    return scan(bulwark, "docker:" + PKG_GOOD)


# rule -> (equivalent ids it must carry, location path or None, text in the evidence)
BAD_RULES = {
    "BW-IMG-001": (["CIS-DI-0001", "CIS-4.1"], None, "root"),
    "BW-IMG-002": (["CIS-DI-0006", "CIS-4.6"], None, "Healthcheck"),
    "BW-IMG-003": (["CIS-DI-0008", "CIS-4.8"], "/opt/suid-tool", "setuid"),
    "BW-IMG-004": ([], "/opt/drop", "sticky"),
    "BW-IMG-005": (["CIS-DI-0010", "CIS-4.10"], "/etc/app/server.key", "PRIVATE KEY"),
    "BW-IMG-006": (["CIS-DI-0010", "CIS-4.10"], "/root/.npmrc", "_authToken"),
    "BW-IMG-007": (["CIS-DI-0010"], "/app/.env", ".env"),
    "BW-IMG-008": (["DKL-LI-0003"], "/root/.bash_history", "history"),
    "BW-IMG-009": (["DKL-LI-0003"], "/app/.git", "git"),
    "BW-IMG-010": (["DKL-DI-0004", "DKL-DI-0005"], "/var/cache/apk", "apk cache"),
    "BW-IMG-011": (["DKL-DI-0006"], None, "latest"),
    "BW-IMG-012": (["CIS-DI-0010", "CIS-4.10"], None, "DB_PASSWORD"),
    "BW-IMG-013": (["CIS-DI-0010", "CIS-4.10"], None, "API_TOKEN"),
    "BW-IMG-014": (["CIS-DI-0007", "CIS-4.7"], None, "apt-get update"),
    "BW-IMG-015": (["CIS-DI-0009", "CIS-4.9"], None, "/opt/payload.txt"),
    "BW-IMG-016": (["DKL-DI-0001"], None, "sudo"),
    "BW-IMG-017": (["DKL-DI-0003"], None, "dist-upgrade"),
    "BW-IMG-018": (["DKL-DI-0002"], "/etc", "VOLUME /etc"),
    "BW-IMG-019": (["DKL-LI-0001"], "/etc/shadow", "app"),
    "BW-IMG-020": (["DKL-LI-0002"], "/etc/passwd", "toor"),
    "BW-IMG-022": (["CIS-DI-0003", "CIS-4.3"], None, "gcc"),
    "BW-IMG-023": (["CIS-DI-0011", "CIS-4.11"], "/etc/apt/sources.list.d/example.list", "trusted=yes"),
}
PKG_RULES = {
    "BW-IMG-021": (["CIS-DI-0003", "CIS-4.3"], None, "vim"),
    "BW-IMG-022": (["CIS-DI-0003", "CIS-4.3"], None, "gcc-12"),
}


def check_rule(report, rid, eq, path, text):
    fs = by_id(report, rid)
    assert fs, f"{rid} missing; got {sorted({f['id'] for f in report['findings']})}"
    if path is not None:
        fs = [f for f in fs if f.get("location", {}).get("path") == path]
        assert fs, f"{rid}: no finding at {path}"
    f = fs[0]
    assert f["kind"] == "misconfiguration" and f["status"] == "fail"
    assert set(eq) <= set(f.get("equivalent", [])), f
    assert text in f["evidence"], f["evidence"]
    assert f["remediation"] and f["title"]


@pytest.mark.parametrize("rid", sorted(BAD_RULES))
def test_rule_fires_on_image_that_breaks_it(bad, rid):
    check_rule(bad, rid, *BAD_RULES[rid])


@pytest.mark.parametrize("rid", sorted(BAD_RULES))
def test_rule_silent_on_image_that_follows_it(good, rid):
    assert not by_id(good, rid), by_id(good, rid)


def test_image_that_follows_every_rule_has_no_finding(good):
    assert img_findings(good) == []


@pytest.mark.parametrize("rid", sorted(PKG_RULES))
def test_package_rule_fires(pkg_bad, rid):
    check_rule(pkg_bad, rid, *PKG_RULES[rid])


def test_multistage_advice_names_every_tool(pkg_bad):
    (f,) = by_id(pkg_bad, "BW-IMG-022")
    for tool in ("gcc-12", "make", "git", "libc6-dev", "libssl-dev", "/usr/bin/make"):
        assert tool in f["evidence"], f["evidence"]
    assert "stage" in f["evidence"] and "multi-stage" in f["title"]


def test_unneeded_packages_listed_with_versions(pkg_bad):
    (f,) = by_id(pkg_bad, "BW-IMG-021")
    assert "netcat-openbsd 1.219-1" in f["evidence"] and "openssh-server" in f["evidence"]
    assert "gcc" not in f["evidence"]


def test_debian_base_caches_and_setuid_found(pkg_bad):
    paths = {f["location"]["path"] for f in by_id(pkg_bad, "BW-IMG-010")}
    assert {"/var/lib/apt/lists", "/var/cache/apt"} <= paths
    suid = {f["location"]["path"] for f in by_id(pkg_bad, "BW-IMG-003")}
    assert {"/usr/bin/su", "/usr/bin/passwd", "/usr/sbin/unix_chkpwd"} <= suid


def test_clean_debian_runtime_image_has_no_finding(pkg_good):
    assert img_findings(pkg_good) == []


def test_deleted_private_key_reported_with_its_layer(bad, docker):
    diff_ids = docker.inspect(BAD)["RootFS"]["Layers"]
    (f,) = [f for f in by_id(bad, "BW-IMG-005") if f["location"]["path"] == "/root/.ssh/id_rsa"]
    assert f["location"]["in_final_image"] is False
    assert f["location"]["layer"] in diff_ids
    assert "still ship" in f["evidence"]
    (k,) = [f for f in by_id(bad, "BW-IMG-005") if f["location"]["path"] == "/etc/app/server.key"]
    assert k["location"]["in_final_image"] is True and k["location"]["layer"] in diff_ids


def test_secrets_are_masked_in_evidence(bad):
    text = json.dumps(bad)
    for secret in ("hunter2-in-env", "tok_5f3a9c2e7b1d8a4f", "npm_FAKEFAKE", "bm90IGEgcmVhbCBrZXk"):
        assert secret not in text


def test_build_argument_reported_once(bad):
    assert len(by_id(bad, "BW-IMG-013")) == 1


def test_public_gpg_key_in_env_is_not_a_credential(bad):
    assert not any("GPG_KEY" in f["evidence"] for f in by_id(bad, "BW-IMG-012"))


def test_history_findings_name_the_layer_when_there_is_one(bad, docker):
    diff_ids = docker.inspect(BAD)["RootFS"]["Layers"]
    (add,) = by_id(bad, "BW-IMG-015")
    assert add["location"]["layer"] in diff_ids


def test_sticky_world_writable_directory_is_fine(good, bad):
    ww = {f["location"]["path"] for f in by_id(bad, "BW-IMG-004")}
    assert ww == {"/opt/drop", "/opt/shared.conf"}
    assert "/tmp" not in ww


def test_docker_archive_target(bulwark, bad, save, docker):
    rep = scan(bulwark, "docker-archive:" + str(save(BAD)))
    assert {f["id"] for f in img_findings(rep)} == {f["id"] for f in img_findings(bad)}
    assert by_id(rep, "BW-IMG-011")[0]["evidence"].endswith(":latest")


def test_docker_archive_of_good_image(bulwark, good, save):
    assert img_findings(scan(bulwark, "docker-archive:" + str(save(GOOD)))) == []


def test_fs_runs_the_file_rules(bulwark, bad, docker, tmp_path):
    tar = docker.export(BAD, tmp_path / "bad.tar")
    root = tmp_path / "root"
    root.mkdir()
    with tarfile.open(tar) as t:
        t.extractall(root, numeric_owner=True)
    rep = scan(bulwark, str(root), cmd="fs")
    ids = {f["id"] for f in img_findings(rep)}
    for rid in ("BW-IMG-003", "BW-IMG-004", "BW-IMG-006", "BW-IMG-007", "BW-IMG-008", "BW-IMG-009",
                "BW-IMG-010", "BW-IMG-019", "BW-IMG-020", "BW-IMG-022", "BW-IMG-023"):
        assert rid in ids, (rid, ids)
    # configuration and history rules need an image
    for rid in ("BW-IMG-001", "BW-IMG-002", "BW-IMG-011", "BW-IMG-012", "BW-IMG-014"):
        assert rid not in ids
    paths = {f["location"]["path"] for f in by_id(rep, "BW-IMG-005")}
    assert paths == {"/etc/app/server.key"}  # the deleted key is not in an exported rootfs


def test_config_scanner_alone_lists_no_packages(bulwark, pkg_bad):
    rep = scan(bulwark, "docker:" + PKG_BAD, "--list-packages")
    assert not rep.get("packages")
    assert by_id(rep, "BW-IMG-021")


def test_with_packages_scanner_uses_its_inventory(bulwark, pkg_bad):
    rc, out, err = bulwark.run(["image", "docker:" + PKG_BAD, "--scanners", "packages,config", "-f", "json"])
    assert rc == 0, err
    rep = json.loads(out)
    assert by_id(rep, "BW-IMG-021")[0]["evidence"] == by_id(pkg_bad, "BW-IMG-021")[0]["evidence"]


def test_sarif_and_table(bulwark, bad):
    rc, out, err = bulwark.run(["image", "docker:" + BAD, "--scanners", "config", "-f", "sarif"])
    assert rc == 0, err
    sarif = json.loads(out)
    rule_ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert {"BW-IMG-001", "BW-IMG-005", "BW-IMG-022"} <= rule_ids
    rc, out, err = bulwark.run(["image", "docker:" + BAD, "--scanners", "config"])
    assert rc == 0 and "BW-IMG-005" in out and "CIS-DI-0010" in out


def test_exit_code_and_severity(bulwark, bad, good):
    rc, _, _ = bulwark.run(["image", "docker:" + BAD, "--scanners", "config", "--exit-code", "1",
                            "--severity", "HIGH", "-q"])
    assert rc == 1
    rc, _, _ = bulwark.run(["image", "docker:" + GOOD, "--scanners", "config", "--exit-code", "1", "-q"])
    assert rc == 0


def test_rule_reference_is_generated_from_the_table(repo_root):
    import subprocess
    import sys
    gen = subprocess.run([sys.executable, str(repo_root / "docs/rules/gen_image_md.py")], capture_output=True,
                         text=True, check=True).stdout
    assert gen == (repo_root / "docs/rules/image.md").read_text()
    for i in range(1, 24):
        assert f"### BW-IMG-{i:03d}" in gen


def _audit4(bulwark):
    rc, out, err = bulwark.run(["audit", "--check", "4", "-f", "json"])
    assert rc == 0, err
    return {f["id"]: f for f in json.loads(out)["findings"]}


def test_audit_section_4_uses_the_image_rules(bulwark, bad, good, docker):
    cbad, cgood = docker.create(BAD), docker.create(GOOD)
    try:
        fs = _audit4(bulwark)
    finally:
        docker.cli("rm", "-f", cbad, cgood, check=False)
    for cis, rule in (("4.1", "BW-IMG-001"), ("4.6", "BW-IMG-002"), ("4.7", "BW-IMG-014"), ("4.8", "BW-IMG-003"),
                      ("4.9", "BW-IMG-015"), ("4.10", "BW-IMG-0"), ("4.11", "BW-IMG-023"), ("4.3", "BW-IMG-022")):
        f = fs["CIS-" + cis]
        assert f["status"] == "warn", f
        assert f"{BAD}:latest: {rule}" in f["evidence"], f["evidence"]
        assert GOOD not in f["evidence"]       # the good image breaks none of them
    for cis in ("4.2", "4.4", "4.5", "4.12"):
        assert fs["CIS-" + cis]["status"] == "manual"


def test_audit_section_4_offline_is_manual(bulwark, tmp_path):
    rc, out, err = bulwark.run(["audit", "--offline", "--host-root", str(tmp_path), "--check", "4", "-f", "json"])
    assert rc == 0, err
    assert {f["status"] for f in json.loads(out)["findings"]} == {"manual"}
