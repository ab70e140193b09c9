"""The table of vulnerability findings: grouped under one header line per package (name,
installed version, ecosystem, count), each vulnerability with its id, severity, fixed
version or "no fix yet", and priority; no colour when standard output is not a terminal."""

import re

from test_vuln import DATA, debian11_root


def test_vulnerabilities_grouped_by_package_in_patch_order(bulwark, tmp_path):
    db = tmp_path / "project.db"
    rc, out, err = bulwark.run(["db", "import", "--db", db, DATA / "records", DATA / "distro", DATA / "enrich"])
    assert rc == 0, err
    root = debian11_root(tmp_path / "root", [
        ("xserver-common", "2:1.20.11-1+deb11u5", "xorg-server", "all"),
        ("dino-im", "0.2.0-3"),
    ], python=[("Django_Example", "1.1")])
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", root])
    assert rc == 0, err
    assert "\033[" not in out
    block = out[out.index("\nvulnerability\n"):]
    headers = re.findall(r"^  (\S+) (\S+) \((\w+)\): (\d+) vulnerabilit", block, re.M)
    assert headers == [("dino-im", "0.2.0-3", "Debian", "1"),
                       ("django-example", "1.1", "PyPI", "1"),
                       ("xserver-common", "2:1.20.11-1+deb11u5", "Debian", "1")]
    lines = {m.group(2): m.group(0) for m in re.finditer(r"^    (\S+) +(\S+) .*$", block, re.M)}
    assert re.search(r"CRITICAL\s+CVE-2099-0001\s+1\.2\.4\s+#1 EPSS 0\.200", lines["CVE-2099-0001"])
    assert "no fix yet" in lines["CVE-2099-1000"]
    assert "2:1.20.11-1+deb11u6" in lines["DSA-9001-1"]
    assert "ID" in lines and "FIXED IN" in lines["ID"] and "PRIORITY" in lines["ID"]
    # the suppressed one leaves the group and is counted at the end
    (tmp_path / "ign").write_text("CVE-2099-1000\n")
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "--ignorefile", tmp_path / "ign", root])
    assert "dino-im 0.2.0-3" not in out and "1 suppressed" in out
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "--ignorefile", tmp_path / "ign",
                                "--show-suppressed", root])
    assert "dino-im 0.2.0-3 (Debian): 0 vulnerabilities (+1 suppressed)" in out
