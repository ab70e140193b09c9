"""Never a silent "0 findings": what a vulnerability scan could check. The JSON "coverage"
section (per ecosystem or distribution release: packages, advisories, data date and age), a
warning naming each release left unchecked with its package count, --exit-code failing a scan
whose coverage is partial (no advisories for a release, no database at all) unless
--allow-partial-coverage, --distro NAME:VERSION overriding the detected release (validated
before any output is opened), and data older than --db-max-age warned about."""

import datetime
import json

import pytest

from test_vuln import DATA, OS_RELEASE_11, stanza, vulns

OS_RELEASE_12 = OS_RELEASE_11.replace("11", "12").replace("bullseye", "bookworm")


def record(id_, eco, name, fixed, modified="2024-01-01T00:00:00Z"):
    return {"schema_version": "1.6.0", "id": id_, "modified": modified, "summary": f"{id_} in {name}",
            "affected": [{"package": {"ecosystem": eco, "name": name},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]}


def make_db(bulwark, tmp_path, records, name="cov.db"):
    d = tmp_path / (name + ".records")
    d.mkdir()
    for r in records:
        (d / (r["id"] + ".json")).write_text(json.dumps(r))
    db = tmp_path / name
    rc, out, err = bulwark.run(["db", "import", "--db", db, d])
    assert rc == 0, err
    return db


def bookworm_root(root, os_release=OS_RELEASE_12):
    """Two Debian packages, a PyPI and an npm package, every one at a version the test
    advisories call fixed: a scan finds nothing, whatever it can check."""
    (root / "etc").mkdir(parents=True)
    if os_release:
        (root / "etc" / "os-release").write_text(os_release)
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_text(
        stanza("libc6", "2.36-9") + stanza("xserver-common", "2:1.20.11-1+deb11u6", "xorg-server", "all"))
    meta = root / "usr/local/lib/python3.11/site-packages/django_example-2.0.dist-info"
    meta.mkdir(parents=True)
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: django-example\nVersion: 2.0\n")
    pkg = root / "usr/lib/node_modules/left-pad"
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text('{"name": "left-pad", "version": "2.0.0"}')
    return root


PYPI_ONLY = [record("BW-COV-PYPI", "PyPI", "django-example", "1.5")]
EVERYTHING = PYPI_ONLY + [record("BW-COV-DEB", "Debian:12", "glibc", "2.36-8"),
                          record("BW-COV-NPM", "npm", "left-pad", "1.3.0")]


def scan(bulwark, db, root, *args, expect=0):
    rc, out, err = bulwark.run(["fs", "--db", db, "-f", "json", *args, root])
    assert rc == expect, err
    return json.loads(out), err


def test_uncovered_releases_are_named_and_fail_the_gate(bulwark, tmp_path):
    db = make_db(bulwark, tmp_path, PYPI_ONLY)
    root = bookworm_root(tmp_path / "root")
    doc, err = scan(bulwark, db, root, "--scanners", "vuln")
    assert vulns(doc) == []
    cov = doc["coverage"]
    assert cov["complete"] is False and cov["unchecked_packages"] == 3
    assert cov["database"] == str(db)
    assert cov["distro"] == {"release": "debian:12", "from": "detected"}
    eco = {e["ecosystem"]: e for e in cov["ecosystems"]}
    assert set(eco) == {"Debian:12", "PyPI", "npm"}
    assert eco["Debian:12"]["packages"] == 2 and eco["Debian:12"]["advisories"] == 0
    assert eco["Debian:12"]["covered"] is False and "no advisories for Debian:12" in eco["Debian:12"]["reason"]
    assert eco["PyPI"]["covered"] is True and eco["PyPI"]["advisories"] == 1
    assert eco["PyPI"]["data_date"] == "2024-01-01T00:00:00Z"
    assert eco["PyPI"]["sources"][0]["name"] == "osv:PyPI"
    assert eco["npm"]["covered"] is False and eco["npm"]["packages"] == 1
    assert any(w.startswith("Debian:12: 2 packages not checked") for w in doc["warnings"])
    assert any(w.startswith("npm: 1 package not checked") for w in doc["warnings"])
    assert "Debian:12: 2 packages not checked" in err

    # the gate: no finding, yet the scan fails, and says why
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "--exit-code", "4", root])
    assert rc == 4
    assert "coverage is partial (3 packages not checked)" in err
    assert "vulnerability data (PARTIAL coverage)" in out
    assert "NOT CHECKED: the database holds no advisories for Debian:12" in out
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "--exit-code", "4",
                                "--allow-partial-coverage", root])
    assert rc == 0, err
    # every scanner (the default) gates the same way
    rc, _, _ = bulwark.run(["fs", "--db", db, "--exit-code", "1", "-q", root])
    assert rc == 1
    # without --exit-code nothing changes: exit 0
    rc, _, _ = bulwark.run(["fs", "--db", db, "--scanners", "vuln", root])
    assert rc == 0


def test_complete_coverage_passes_the_gate(bulwark, tmp_path):
    db = make_db(bulwark, tmp_path, EVERYTHING)
    root = bookworm_root(tmp_path / "root")
    doc, _ = scan(bulwark, db, root, "--scanners", "vuln")
    assert doc["coverage"]["complete"] is True and doc["coverage"]["unchecked_packages"] == 0
    assert all(e["covered"] for e in doc["coverage"]["ecosystems"])
    assert not any("not checked" in w for w in doc.get("warnings", []))
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "--exit-code", "4", root])
    assert rc == 0, err
    assert "vulnerability data (coverage):" in out


def test_no_database_fails_the_gate_of_a_default_scan(bulwark, tmp_path):
    missing = tmp_path / "nope.db"
    root = bookworm_root(tmp_path / "root")
    rc, out, err = bulwark.run(["fs", "--db", missing, "-f", "json", root])
    assert rc == 0, err  # no --exit-code: a warning, as before
    doc = json.loads(out)
    cov = doc["coverage"]
    assert cov["complete"] is False and cov["unchecked_packages"] == 4
    assert str(missing) in cov["error"]
    assert all(e["reason"] == "no vulnerability database" for e in cov["ecosystems"])
    assert any("vulnerabilities not scanned" in w and "4 packages not checked" in w for w in doc["warnings"])
    rc, _, err = bulwark.run(["fs", "--db", missing, "--exit-code", "1", root])
    assert rc == 1 and "coverage is partial" in err
    rc, _, err = bulwark.run(["fs", "--db", missing, "--exit-code", "1", "--allow-partial-coverage", root])
    assert rc == 0, err
    # an empty file is no database either
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    rc, _, err = bulwark.run(["fs", "--db", empty, "--exit-code", "1", root])
    assert rc == 1
    # nothing to check: nothing left unchecked
    bare = tmp_path / "bare"
    (bare / "etc").mkdir(parents=True)
    rc, _, err = bulwark.run(["fs", "--db", missing, "--exit-code", "1", bare])
    assert rc == 0, err


def test_distro_overrides_the_detected_release(bulwark, tmp_path):
    db = tmp_path / "dsa.db"
    rc, _, err = bulwark.run(["db", "import", "--db", db, DATA / "distro"])
    assert rc == 0, err
    root = bookworm_root(tmp_path / "root")
    (root / "var/lib/dpkg/status").write_text(stanza("xserver-common", "2:1.20.11-1+deb11u5", "xorg-server"))
    doc, _ = scan(bulwark, db, root, "--scanners", "vuln")
    assert vulns(doc) == [] and doc["coverage"]["complete"] is False  # bookworm: no DSA data here
    doc, _ = scan(bulwark, db, root, "--scanners", "vuln", "--distro", "debian:11")
    assert [v["id"] for v in vulns(doc)] == ["DSA-9001-1"]
    assert doc["coverage"]["distro"] == {"release": "debian:11", "from": "option"}
    assert doc["coverage"]["ecosystems"][0]["ecosystem"] == "Debian:11"
    # an Alpine release name with its v, and Grype's spelling of the option
    doc, _ = scan(bulwark, db, root, "--scanners", "vuln", "--distro", "alpine:v3.19")
    assert doc["coverage"]["distro"]["release"] == "alpine:3.19"
    assert doc["coverage"]["ecosystems"][0]["ecosystem"] == "Alpine:v3.19"


@pytest.mark.parametrize("value", ["debian", "debian:", "debian:bookworm", "plan9:4", ":12", "ubuntu:22.04 "])
def test_bad_distro_is_a_usage_error_before_output_is_opened(bulwark, tmp_path, value):
    root = bookworm_root(tmp_path / "root")
    out = tmp_path / "out.json"
    for cmd in (["fs"], ["image"]):
        out.write_bytes(b"keep")
        target = root if cmd == ["fs"] else f"dir:{root}"
        rc, _, err = bulwark.run([*cmd, "-o", out, "--distro", value, target])
        assert rc == 2, err
        assert "--distro" in err
        assert out.read_bytes() == b"keep"


def test_unknown_release_is_named_and_distro_fills_it_in(bulwark, tmp_path):
    db = make_db(bulwark, tmp_path, EVERYTHING)
    root = bookworm_root(tmp_path / "root", os_release=None)
    doc, _ = scan(bulwark, db, root, "--scanners", "vuln")
    eco = {e["ecosystem"]: e for e in doc["coverage"]["ecosystems"]}
    assert "release is not known" in eco["Debian"]["reason"] and eco["Debian"]["packages"] == 2
    doc, _ = scan(bulwark, db, root, "--scanners", "vuln", "--distro", "debian:12")
    assert doc["coverage"]["complete"] is True


def test_old_data_is_warned_about_per_db_max_age(bulwark, tmp_path):
    now = datetime.datetime.now(datetime.timezone.utc)
    fresh = (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    db = make_db(bulwark, tmp_path, [record("BW-OLD", "PyPI", "django-example", "1.5"),
                                     record("BW-NEW", "npm", "left-pad", "1.3.0", modified=fresh)])
    rc, _, err = bulwark.run(["db", "import", "--db", db, DATA / "enrich"])
    assert rc == 0, err
    root = bookworm_root(tmp_path / "root")
    doc, err = scan(bulwark, db, root, "--scanners", "vuln")
    warnings = doc["warnings"]
    assert any(w.startswith("vulnerability data of osv:PyPI is ") and "older than --db-max-age 7" in w
               for w in warnings)
    assert any(w.startswith("vulnerability data of kev is ") for w in warnings)
    assert not any("of osv:npm" in w for w in warnings)  # a day old
    eco = {e["ecosystem"]: e for e in doc["coverage"]["ecosystems"]}
    assert eco["PyPI"]["stale"] is True and eco["PyPI"]["age_days"] > 300
    assert eco["npm"]["stale"] is False and eco["npm"]["age_days"] == 1
    assert {s["name"]: s["stale"] for s in doc["coverage"]["enrichment"]} == {"kev": True, "epss": True}
    doc, _ = scan(bulwark, db, root, "--scanners", "vuln", "--db-max-age", "0")
    assert not any("days old" in w for w in doc.get("warnings", []))
    assert doc["coverage"]["max_age_days"] == 0 and eco["PyPI"]["age_days"] > 300
    doc, _ = scan(bulwark, db, root, "--scanners", "vuln", "--db-max-age", "100000")
    assert not any("days old" in w for w in doc.get("warnings", []))
    rc, _, err = bulwark.run(["fs", "--db", db, "--db-max-age", "a week", root])
    assert rc == 2 and "--db-max-age" in err
