"""Secret scanning end to end: the fixture corpus through `bulwark fs`, the
three output formats, an image built by the real engine with a key deleted in
a later layer and secrets passed as build arguments, custom rules, hostile
files. The Trivy comparison on the same corpus is in test_secret_peers.py."""

import json
import os
import pathlib
import shutil
import subprocess
import tarfile

import pytest

import secret_corpus

ROOT = pathlib.Path(__file__).resolve().parents[2]
SARIF_SCHEMA = ROOT / "tests/schemas/sarif-schema-2.1.0.json"


def secret_findings(rep):
    return [f for f in rep.get("findings", []) if f["kind"] == "secret"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("secret-corpus")
    manifest = secret_corpus.write(d)
    (d / "manifest.json").unlink()
    return d, manifest


@pytest.fixture(scope="module")
def corpus_report(bulwark, corpus):
    d, _ = corpus
    return bulwark.json(["fs", "--scanners", "secret", "-f", "json", d])


def test_corpus_every_positive_found_with_its_rule_and_no_near_miss_reported(corpus, corpus_report):
    d, manifest = corpus
    by_path = {}
    for f in secret_findings(corpus_report):
        by_path.setdefault(f["location"]["path"], []).append(f)
    problems = []
    for c in manifest:
        got = by_path.get(c["path"], [])
        if c["positive"]:
            ids = [f["id"] for f in got]
            if ids != [c["rule"]]:
                problems.append(f"{c['case']}: expected [{c['rule']}], got {ids}")
            elif c["secret"]:
                ev = got[0]["evidence"]
                if c["secret"][:4] != ev[:4] or set(ev[4:]) - {"*"}:
                    problems.append(f"{c['case']}: evidence {ev!r} is not the masked secret")
        elif got:
            problems.append(f"{c['case']} (near miss for {c['rule']}): got {[f['id'] for f in got]}")
    assert not problems, "\n".join(problems)
    assert len([c for c in manifest if c["positive"]]) >= 140


def test_corpus_findings_carry_location_and_masked_evidence(corpus_report):
    for f in secret_findings(corpus_report):
        loc = f["location"]
        assert loc["path"].startswith("/") and loc["line"] >= 1 and loc["column"] >= 1
        assert loc["in_final_image"] is True
        assert f["severity"] in ("CRITICAL", "HIGH", "MEDIUM", "LOW")
        assert f["id"].startswith("BW-SEC-")
        assert len(f["evidence"]) <= 32 and "*" in f["evidence"]


def test_table_and_sarif_outputs(bulwark, corpus):
    d, _ = corpus
    rc, out, err = bulwark.run(["fs", "--scanners", "secret", d])
    assert rc == 0, err
    assert "BW-SEC-GH-001" in out and "evidence: ghp_*" in out
    jsonschema = pytest.importorskip("jsonschema")
    rc, out, err = bulwark.run(["fs", "--scanners", "secret", "-f", "sarif", d])
    assert rc == 0, err
    doc = json.loads(out)
    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text()))
    results = doc["runs"][0]["results"]
    assert any(r["ruleId"] == "BW-SEC-PK-001" for r in results)


def test_exit_code_with_findings(bulwark, corpus):
    d, _ = corpus
    rc, _, _ = bulwark.run(["fs", "--scanners", "secret", "--exit-code", "1", "-f", "json", d / "pos"])
    assert rc == 1
    rc, _, err = bulwark.run(["fs", "--scanners", "secret", "--exit-code", "1", "-f", "json", d / "neg"])
    assert rc == 0, err


# ----------------------------------------------------------------- a real image


def fake(*parts):
    return "".join(parts)


BUILD_ARGS = {
    "NPM_TOKEN": fake("npm_", "FAKEbuildargbuildargbuildargbuildarg"),
    "DB_PASSWORD": "Xk9!fake-Qz72-buildarg",
    "SERVICE_TOKEN": fake("glpat-", "FAKEenvFAKEenvFAKEenv"),
}


@pytest.fixture(scope="module")
def layered_image(build_image, tiny_image, images_dir):
    return build_image("bwtest/secret-layers:1", images_dir / "secret-layers", buildargs=BUILD_ARGS)


@pytest.fixture(scope="module")
def layered_report(bulwark, layered_image, save):
    archive = save(layered_image)
    return bulwark.json(["image", "--scanners", "secret", "-f", "json", f"docker-archive:{archive}"]), archive


def test_deleted_layer_secret_is_found_and_marked_not_in_final_image(layered_report, docker, layered_image):
    rep, _ = layered_report
    fs = secret_findings(rep)
    aws = [f for f in fs if f["id"] == "BW-SEC-AWS-001"]
    assert len(aws) == 1, fs
    loc = aws[0]["location"]
    assert loc["path"] == "/app/credentials" and loc["line"] == 2 and loc["column"] == 21
    assert loc["in_final_image"] is False
    assert aws[0]["evidence"] == "AKIA" + "*" * 16
    assert "still shipped in layer" in aws[0]["remediation"]
    # the layer named is the one that added the file
    diff_ids = docker.inspect(layered_image)["RootFS"]["Layers"]
    assert loc["layer"] == diff_ids[1]


def test_replaced_file_secret_is_not_in_final_image_and_kept_one_is(layered_report):
    rep, _ = layered_report
    by_id = {f["id"]: f for f in secret_findings(rep) if f["location"]["path"].startswith("/app/")}
    assert by_id["BW-SEC-STRIPE-001"]["location"]["in_final_image"] is False
    assert by_id["BW-SEC-GH-001"]["location"]["in_final_image"] is True


def test_build_args_leak_through_history_and_env(layered_report):
    rep, _ = layered_report
    hist = [f for f in secret_findings(rep) if f["location"]["path"] == "config:history"]
    ids = {f["id"] for f in hist}
    assert {"BW-SEC-NPM-001", "BW-SEC-GENERIC-001"} <= ids, hist
    # each leaked value once, although every RUN after the ARGs repeats them
    assert len([f for f in hist if f["id"] == "BW-SEC-NPM-001"]) == 1
    env = [f for f in secret_findings(rep) if f["location"]["path"] == "config:Env"]
    assert [f["id"] for f in env] == ["BW-SEC-GL-001"]
    assert all(f["location"]["in_final_image"] is True for f in hist + env)
    # the ARG given to ENV is one finding, in Env and in the history (where the
    # ENV instruction and the RUN's build arguments repeat it: one location)
    gl = [f for f in secret_findings(rep) if f["id"] == "BW-SEC-GL-001"]
    assert len(gl) == 1, gl
    assert [o["path"] for o in gl[0]["other_locations"]] == ["config:history"]
    assert gl[0]["other_locations"][0]["line"] >= 1


def test_image_table_says_deleted_still_in_layer(bulwark, layered_report):
    rep, archive = layered_report
    rc, out, err = bulwark.run(["image", "--scanners", "secret", f"docker-archive:{archive}"])
    assert rc == 0, err
    layer = next(f["location"]["layer"] for f in secret_findings(rep)
                 if f["location"]["path"] == "/app/credentials" and f["location"].get("line") == 2)
    # the table's one layer form: 12 hex digits of the id, as the inventory's LAYER column
    assert f"/app/credentials:2:21 (deleted, still in layer {layer.split(':')[1][:12]})" in out


def test_engine_source_gives_the_same_findings(bulwark, layered_report, layered_image, docker):
    rep, _ = layered_report
    live = bulwark.json(["image", "--scanners", "secret", "-f", "json", f"docker:{layered_image}"],
                        env={"DOCKER_HOST": docker.host})

    def key(r):
        return sorted((f["id"], f["location"]["path"], f["location"].get("line"), f["location"]["in_final_image"])
                      for f in secret_findings(r))

    assert key(live) == key(rep)


# ----------------------------------------------------------- custom rules, bad input


def test_custom_rules_and_allow_lists(bulwark, tmp_path):
    (tmp_path / "root/app").mkdir(parents=True)
    (tmp_path / "root/app/deploy.conf").write_text("key = acme_" + "0123456789abcdef" * 2 + "\n")
    (tmp_path / "root/app/vendor.txt").write_text("t=" + fake("ghp_", "FAKE" * 9) + "\n")
    cfg = tmp_path / "secrets.yaml"
    cfg.write_text(
        "rules:\n"
        "  - id: ACME-001\n"
        "    title: ACME deploy key\n"
        "    severity: CRITICAL\n"
        "    regex: 'acme_(?<secret>[0-9a-f]{32})'\n"
        "    keywords: [acme_]\n"
        "allow:\n"
        "  paths: ['*/vendor.txt']\n"
    )
    rep = bulwark.json(["fs", "--scanners", "secret", "--secret-config", cfg, "-f", "json", tmp_path / "root"])
    fs = secret_findings(rep)
    assert [(f["id"], f["severity"], f["location"]["path"]) for f in fs] == [
        ("ACME-001", "CRITICAL", "/app/deploy.conf")]
    assert fs[0]["evidence"].startswith("0123")


def test_invalid_custom_regex_names_the_rule_and_exits_2(bulwark, tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("rules:\n  - id: BROKEN-RULE-7\n    regex: 'token_([a-z'\n    keywords: [token_]\n")
    (tmp_path / "d").mkdir()
    rc, out, err = bulwark.run(["fs", "--scanners", "secret", "--secret-config", cfg, tmp_path / "d"])
    assert rc == 2, (rc, err)
    assert "BROKEN-RULE-7" in err and "invalid regex" in err and "bad.yaml" in err
    rc, _, err = bulwark.run(["fs", "--scanners", "secret", "--secret-config", tmp_path / "missing.yaml",
                              tmp_path / "d"])
    assert rc == 2 and "missing.yaml" in err
    # the message is made once, not formatted into its own buffer
    assert err.strip().splitlines()[-1] == \
        f"bulwark fs: error: --secret-config: {tmp_path / 'missing.yaml'}: cannot open: No such file or directory"


def _stock_files(shared_data, tmp_path):
    """The stock configuration of real images: the /etc of every Alpine minirootfs
    here and, from this Debian machine's packages (dpkg -S names them), the
    files whose lines the generic rules used to take for secrets."""
    root = tmp_path / "stock"
    n = 0
    for tgz in sorted((shared_data / "images").glob("alpine-minirootfs-*.tar.gz")):
        d = root / tgz.name.split(".tar")[0]
        d.mkdir(parents=True)
        with tarfile.open(tgz) as t:
            t.extractall(d, members=[m for m in t.getmembers()
                                     if m.name.startswith("./etc/") and (m.isfile() or m.isdir())])
        n += 1
    debian = ["/etc/ssl/openssl.cnf", "/etc/java-17-openjdk/management/management.properties",
              "/usr/share/autoconf/autoconf/status.m4", "/etc/nsswitch.conf", "/etc/login.defs",
              "/etc/adduser.conf", "/etc/debconf.conf", "/etc/pam.d/common-password"]
    debian += [str(p) for p in pathlib.Path("/usr/share/postgresql").glob("*/postgresql.conf.sample")]
    for f in debian:
        p = pathlib.Path(f)
        if p.is_file() and os.access(p, os.R_OK) and \
                subprocess.run(["dpkg", "-S", f], capture_output=True).returncode == 0:
            (root / "debian" / p.parent.relative_to("/")).mkdir(parents=True, exist_ok=True)
            shutil.copy(p, root / "debian" / p.relative_to("/"))
            n += 1
    return root, n


def test_stock_distribution_configs_give_no_finding(bulwark, shared_data, tmp_path):
    root, n = _stock_files(shared_data, tmp_path)
    if n < 2:
        pytest.skip("neither Alpine minirootfs tarballs nor Debian's stock files here")
    rep = bulwark.json(["fs", "--scanners", "secret", "-f", "json", root])
    assert secret_findings(rep) == []


def test_hostile_files_no_crash_nothing_skipped_silently(bulwark, tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    key = fake("AKIA", "FAKEHOSTILEFILE1")
    # 10 MB on one line with a key near the end
    (root / "one-line.js").write_bytes(b"var a='x';" * (1024 * 1024) + b" " + key.encode() + b" ")
    (root / "bad-utf8.txt").write_bytes(b"\xff\xfe\xc3\x28 id=" + key.encode() + b"\n\x80\x81")
    (root / "nul-laden.txt").write_bytes(b"\0".join([b"line", b"id=" + key.encode() + b" ", b"x"]) * 3)
    (root / "big.log").write_bytes(b"x" * 2048)
    rep = bulwark.json(["fs", "--scanners", "secret", "-f", "json", root])
    paths = sorted({f["location"]["path"] for f in secret_findings(rep)})
    assert paths == ["/bad-utf8.txt", "/one-line.js"]
    assert any("nul-laden.txt" in w and "binary" in w for w in rep.get("warnings", [])), rep.get("warnings")
    # asked to, it scans binaries too; and a size limit is reported per file
    cfg = tmp_path / "c.yaml"
    cfg.write_text("scan-binary: true\nmax-file-size: 1KiB\n")
    rep = bulwark.json(["fs", "--scanners", "secret", "--secret-config", cfg, "-f", "json", root])
    paths = sorted({f["location"]["path"] for f in secret_findings(rep)})
    assert paths == ["/bad-utf8.txt", "/nul-laden.txt"]
    warns = rep.get("warnings", [])
    assert any("/one-line.js not scanned: larger than max-file-size" in w for w in warns), warns
    assert any("/big.log not scanned" in w for w in warns), warns
