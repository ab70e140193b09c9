"""Severities that gate: a finding's severity from every source that has one, in the documented
order (CVSS vectors of the advisories and of their CVEs' records, newest version; a database's
word; the distribution's word; NVD's own assessment), with NVD CVE API 2.0 answers and yearly
feeds (gzip, streamed) and CVE JSON 5 records imported into a per-CVE table; where it came
from (severity_source, severity_by_source) in JSON and the table; a KEV-listed finding never
left out by --severity and gating as HIGH at least ("HIGH (KEV)"); advisory URLs (url,
references) in JSON, the table, SARIF helpUri and CycloneDX advisories, schema-validated."""

import gzip
import json
import re

import jsonschema

from test_sbom import assert_valid, cyclonedx_validator
from test_vuln import DATA, SCHEMAS, by_pkg_id, debian11_root, vulns


def project_db(bulwark, tmp_path):
    db = tmp_path / "sev.db"
    rc, _, err = bulwark.run(["db", "import", "--db", db, DATA / "records", DATA / "distro", DATA / "enrich",
                              DATA / "cve"])
    assert rc == 0, err
    return db


def root_with_everything(tmp_path):
    root = debian11_root(tmp_path / "root", [
        ("xserver-common", "2:1.20.11-1+deb11u5", "xorg-server", "all"),  # DSA-9001-1
        ("dino-im", "0.2.0-3"),                                           # DSA-9000-1 / CVE-2099-1000
    ], python=[("Django_Example", "1.1")])                                 # GHSA + BW, CVE-2099-0001
    for name, ver in (("left-pad", "1.0.0"), ("kev-pkg", "1.0.0")):
        d = root / "usr/lib/node_modules" / name
        d.mkdir(parents=True)
        (d / "package.json").write_text(json.dumps({"name": name, "version": ver}))
    return root


def scan(bulwark, db, root, *args, expect=0, fmt="json"):
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "-f", fmt, *args, root])
    assert rc == expect, err
    return json.loads(out) if fmt != "table" else out


def test_severity_from_every_source_in_order(bulwark, tmp_path):
    db = project_db(bulwark, tmp_path)
    f = by_pkg_id(scan(bulwark, db, root_with_everything(tmp_path)))
    # the CVE records of the DSA's two CVEs: CVE-2099-1002's v4.0 (its CNA) is the newest
    # version, ahead of the v3.1 vectors of the other CNA and CISA's ADP; NVD's own last
    x = f[("xserver-common", "DSA-9001-1")]
    assert (x["severity"], x["severity_source"]) == ("MEDIUM", "cvss_v4")
    assert x["severity_by_source"] == {"cvss_v4": "MEDIUM", "cvss_v3.1": "HIGH", "nvd": "CRITICAL"}
    assert [(c["version"], c["source"]) for c in x["cvss"]] == [
        ("4.0", "CVE-2099-1002"), ("3.1", "CVE-2099-1002"), ("3.1", "CVE-2099-1001"), ("3.1", "NVD")]
    assert "severity from cvss_v4" in x["evidence"]
    # nothing but NVD's own assessment
    d = f[("dino-im", "CVE-2099-1000")]
    assert (d["severity"], d["severity_source"]) == ("HIGH", "nvd")
    # the advisory's vector outranks NVD's, which is still listed
    lp = f[("left-pad", "CVE-2099-0003")]
    assert (lp["severity"], lp["severity_source"]) == ("HIGH", "cvss_v3.1")
    assert lp["severity_by_source"] == {"cvss_v3.1": "HIGH", "nvd": "LOW"}
    dj = [v for (n, i), v in f.items() if i == "CVE-2099-0001"][0]
    assert dj["severity_by_source"] == {"cvss_v3.1": "CRITICAL", "database": "HIGH"}


def test_words_of_databases_and_distributions(bulwark, tmp_path):
    db = project_db(bulwark, tmp_path)
    # a GHSA whose only rating is its word; the distribution's word beats NVD's vector
    ghsa = tmp_path / "ghsa"
    ghsa.mkdir()
    (ghsa / "GHSA-word-0001.json").write_text(json.dumps({
        "id": "GHSA-word-0001", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2007-0770"],
        "database_specific": {"severity": "LOW"},
        "affected": [{"package": {"ecosystem": "npm", "name": "worded"},
                      "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}]}))
    # a DSA list whose entry carries Debian's urgency ("(low)"), replacing the project's list
    dsa = tmp_path / "DSA" / "list"
    dsa.parent.mkdir()
    dsa.write_text("[01 Feb 2024] DSA-9100-1 wordpkg - security update\n\t{CVE-2007-0770}\n"
                   "\t[bullseye] - wordpkg 1.1-1 (low)\n")
    rc, _, err = bulwark.run(["db", "import", "--db", db, ghsa, dsa])
    assert rc == 0, err
    root = debian11_root(tmp_path / "root", [("wordpkg", "1.0-1", "wordpkg")])
    d = root / "usr/lib/node_modules/worded"
    d.mkdir(parents=True)
    (d / "package.json").write_text('{"name": "worded", "version": "1.0.0"}')
    f = by_pkg_id(scan(bulwark, db, root))
    im = f[("wordpkg", "CVE-2007-0770")]
    assert (im["severity"], im["severity_source"]) == ("LOW", "debian_urgency")
    assert im["severity_by_source"] == {"debian_urgency": "LOW", "nvd": "CRITICAL"}
    assert im["url"] == "https://security-tracker.debian.org/tracker/CVE-2007-0770"
    w = f[("worded", "CVE-2007-0770")]
    assert (w["severity"], w["severity_source"]) == ("LOW", "ghsa")  # a database's word beats NVD
    assert w["url"] == "https://nvd.nist.gov/vuln/detail/CVE-2007-0770"


def test_kev_finding_is_never_filtered_and_gates_as_high(bulwark, tmp_path):
    db = project_db(bulwark, tmp_path)
    root = root_with_everything(tmp_path)
    doc = scan(bulwark, db, root, "--severity", "CRITICAL")
    ids = {v["id"]: v for v in vulns(doc)}
    # CVE-2021-44228 has no rating in these advisories: KEV makes it HIGH, and says so
    k = ids["CVE-2021-44228"]
    assert (k["severity"], k["severity_source"]) == ("HIGH", "kev")
    assert k["severity_by_source"] == {"kev": "HIGH"}
    assert k["priority"]["kev"] is True and k["priority"]["rank"] == 1
    assert set(ids) == {"CVE-2021-44228", "CVE-2099-0001"}  # the KEV one and the CRITICAL one
    assert doc["summary"]["by_severity"] == {"CRITICAL": 1, "HIGH": 1}
    out = scan(bulwark, db, root, "--severity", "CRITICAL", fmt="table")
    line = next(l for l in out.splitlines() if "CVE-2021-44228" in l)
    assert re.match(r"^    HIGH \(KEV\)\s+CVE-2021-44228\s", line)
    assert re.search(r"\skev\s", line)
    # --exit-code counts it as HIGH: it fails a HIGH gate, not a CRITICAL-only one
    kev_only = tmp_path / "kev-only"
    d = kev_only / "usr/lib/node_modules/kev-pkg"
    d.mkdir(parents=True)
    (d / "package.json").write_text('{"name": "kev-pkg", "version": "1.0.0"}')
    rc, _, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "--severity", "HIGH", "--exit-code", "6",
                              kev_only])
    assert rc == 6, err
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "--severity", "CRITICAL", "--exit-code",
                                "6", kev_only])
    assert rc == 0, err
    assert "CVE-2021-44228" in out


def test_table_shows_where_the_severity_came_from_and_the_url(bulwark, tmp_path):
    db = project_db(bulwark, tmp_path)
    out = scan(bulwark, db, root_with_everything(tmp_path), fmt="table")
    block = out[out.index("\nvulnerability\n"):]
    assert re.search(r"SEVERITY\s+ID\s+FIXED IN\s+PRIORITY\s+CVSS\s+SOURCE\s+TITLE", block)
    line = next(l for l in block.splitlines() if "DSA-9001-1" in l and "SEVERITY" not in l)
    assert re.search(r"MEDIUM\s+DSA-9001-1\s.*\s4\.8 v4\.0\s+cvss_v4\s", line)
    assert "             url: https://security-tracker.debian.org/tracker/DSA-9001-1\n" in block
    line = next(l for l in block.splitlines() if "CVE-2099-1000" in l and "url:" not in l)
    assert re.search(r"\snvd\s", line)


def test_urls_and_references_in_every_format(bulwark, tmp_path):
    db = project_db(bulwark, tmp_path)
    root = root_with_everything(tmp_path)
    f = by_pkg_id(scan(bulwark, db, root))
    x = f[("xserver-common", "DSA-9001-1")]
    assert x["url"] == "https://security-tracker.debian.org/tracker/DSA-9001-1"
    assert x["references"] == ["https://example.org/advisories/2099-1001",
                               "https://example.org/patches/2099-1001.patch",
                               "https://example.org/advisories/2099-1002", "https://example.org/cisa/2099-1002"]
    lp = f[("left-pad", "CVE-2099-0003")]
    assert lp["url"] == "https://nvd.nist.gov/vuln/detail/CVE-2099-0003"
    sarif = scan(bulwark, db, root, fmt="sarif")
    jsonschema.validate(sarif, json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text()))
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["DSA-9001-1"]["helpUri"] == x["url"]
    assert rules["CVE-2099-0003"]["helpUri"] == lp["url"]
    res = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "DSA-9001-1"][0]
    assert res["properties"]["severity_source"] == "cvss_v4"
    assert res["properties"]["references"] == x["references"]
    bom = scan(bulwark, db, root, fmt="cyclonedx")
    assert_valid(cyclonedx_validator(), bom)
    v = [v for v in bom["vulnerabilities"] if v["id"] == "DSA-9001-1"][0]
    assert [a["url"] for a in v["advisories"]] == [x["url"]] + x["references"]


def test_nvd_yearly_feed_gz_is_streamed(bulwark, tmp_path):
    """A feed of many entries (far more than one read of the stream) is split entry by entry;
    its timestamp dates the source; a finding aliasing one of its CVEs takes NVD's rating."""
    vec = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    entries = []
    for i in range(6000):
        entries.append({"cve": {
            "id": f"CVE-2098-{i:05d}", "sourceIdentifier": "cve@example.org", "published": "2024-01-01T00:00:00.000",
            "lastModified": "2024-06-01T00:00:00.000", "vulnStatus": "Analyzed",
            "descriptions": [{"lang": "en", "value": "A test vulnerability with \"quotes\" and {braces} " * 3}],
            "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary",
                                           "cvssData": {"version": "3.1", "vectorString": vec, "baseScore": 9.8,
                                                        "baseSeverity": "CRITICAL"}}]},
            "references": [{"url": f"https://example.org/{i}", "source": "cve@example.org"}]}})
    feed = {"resultsPerPage": len(entries), "startIndex": 0, "totalResults": len(entries), "format": "NVD_CVE",
            "version": "2.0", "timestamp": "2024-06-02T03:04:05.000", "vulnerabilities": entries}
    path = tmp_path / "nvdcve-2.0-2098.json.gz"
    path.write_bytes(gzip.compress(json.dumps(feed).encode()))
    db = tmp_path / "feed.db"
    rc, out, err = bulwark.run(["db", "import", "--db", db, "-f", "json", path, DATA / "update"])
    assert rc == 0, err
    assert json.loads(out)["cves"] == 6000
    rc, out, err = bulwark.run(["db", "info", "--db", db, "-f", "json"])
    nvd = [s for s in json.loads(out)["sources"] if s["name"] == "nvd"][0]
    assert nvd["data_date"] == "2024-06-02T03:04:05.000"
    # an advisory that aliases one of them
    adv = tmp_path / "adv"
    adv.mkdir()
    (adv / "BW-FEED-1.json").write_text(json.dumps({
        "id": "BW-FEED-1", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2098-05999"],
        "affected": [{"package": {"ecosystem": "npm", "name": "fed"},
                      "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}]}))
    rc, _, err = bulwark.run(["db", "import", "--db", db, adv])
    assert rc == 0, err
    root = tmp_path / "root"
    d = root / "usr/lib/node_modules/fed"
    d.mkdir(parents=True)
    (d / "package.json").write_text('{"name": "fed", "version": "1.0.0"}')
    v = vulns(scan(bulwark, db, root))[0]
    assert (v["id"], v["severity"], v["severity_source"]) == ("CVE-2098-05999", "CRITICAL", "nvd")
    assert v["references"] == ["https://example.org/5999"]
