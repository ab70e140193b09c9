"""Output a person reads: the table leads with the vulnerabilities and lists the package
inventory only with --list-packages (the JSON report has `packages` only then too, as
docs/report-schema.md says); --scanners packages alone is asking for the inventory."""

import json

import pytest

from test_vuln import DATA, debian11_root

PACKAGES = [("xserver-common", "2:1.20.11-1+deb11u5", "xorg-server", "all"), ("dino-im", "0.2.0-3")]


@pytest.fixture(scope="module")
def vdb(bulwark, tmp_path_factory):
    db = tmp_path_factory.mktemp("vdb") / "output.db"
    rc, out, err = bulwark.run(["db", "import", "--db", db, DATA / "records", DATA / "distro", DATA / "enrich"])
    assert rc == 0, err
    return db


@pytest.fixture
def root(tmp_path):
    return debian11_root(tmp_path / "root", PACKAGES, python=[("Django_Example", "1.1")])


def fs(bulwark, vdb, root, *args, env=None):
    rc, out, err = bulwark.run(["fs", "--db", vdb, *args, root], env=env)
    assert rc == 0, err
    return out


# ------------------------------------------------------------------ the inventory on request


def test_packages_only_with_list_packages(bulwark, vdb, root):
    doc = json.loads(fs(bulwark, vdb, root, "-f", "json"))
    assert "packages" not in doc and doc["findings"]
    table = fs(bulwark, vdb, root)
    assert "packages:" not in table and "NAME" not in table
    assert table.index("vulnerability") < table.index("DSA-9001-1")

    doc = json.loads(fs(bulwark, vdb, root, "-f", "json", "--list-packages"))
    assert {p["name"] for p in doc["packages"]} == {"xserver-common", "dino-im", "django-example"}
    table = fs(bulwark, vdb, root, "--list-packages")
    # the vulnerabilities first, then the inventory, then the summary line
    assert table.index("DSA-9001-1") < table.index("packages: 3") < table.index("3 findings")
    assert "  dino-im         0.2.0-3" in table


def test_the_packages_scanner_alone_asks_for_the_inventory(bulwark, vdb, root):
    doc = json.loads(fs(bulwark, vdb, root, "-f", "json", "--scanners", "packages"))
    assert len(doc["packages"]) == 3 and doc["findings"] == []
    doc = json.loads(fs(bulwark, vdb, root, "-f", "json", "--scanners", "vuln"))
    assert "packages" not in doc and doc["findings"]
    assert "packages:" not in fs(bulwark, vdb, root, "--scanners", "vuln,packages")
    assert "packages: 3" in fs(bulwark, vdb, root, "--scanners", "vuln,packages", "--list-packages")
