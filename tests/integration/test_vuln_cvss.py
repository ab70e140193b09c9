"""CVSS in vulnerability findings: the vectors OSV records state (v4.0 and
v3.1 side by side), the version a finding's severity comes from, the JSON
"cvss" array, CycloneDX ratings (schema-validated) and SARIF properties, and
the upgrade of a schema-1 database, which kept no vectors."""
import json
import re
import sqlite3

import jsonschema

from test_sbom import assert_valid, cyclonedx_validator
from test_vuln import SCHEMAS, by_pkg_id, debian11_root

V31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"            # 9.8
V31_NVD = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"        # 7.5
V40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"  # 9.3
V40_BT = V40 + "/E:U"                                            # 8.1, CVSS-BT
V40_REORDERED = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N"


def record(id_, pkg, severity, aliases=(), modified="2025-01-01T00:00:00Z"):
    return {"schema_version": "1.6.0", "id": id_, "modified": modified, "aliases": list(aliases),
            "summary": "%s in %s" % (id_, pkg), "severity": severity,
            "affected": [{"package": {"ecosystem": "PyPI", "name": pkg},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]}


def records(tmp_path):
    d = tmp_path / "osv"
    d.mkdir()
    recs = [
        record("GHSA-cvss-0001", "cvss-both", [{"type": "CVSS_V3", "score": V31}, {"type": "CVSS_V4", "score": V40}],
               aliases=["CVE-2099-4001"]),
        record("CVE-2099-4001", "cvss-both", [{"type": "CVSS_V3", "score": V31_NVD}]),
        record("GHSA-cvss-0002", "cvss-reordered",
               [{"type": "CVSS_V4", "score": V40_REORDERED}, {"type": "CVSS_V3", "score": V31_NVD}]),
        record("GHSA-cvss-0003", "cvss-threat", [{"type": "CVSS_V4", "score": V40_BT}]),
    ]
    for r in recs:
        (d / (r["id"] + ".json")).write_text(json.dumps(r))
    return d


def scan(bulwark, db, root, fmt="json"):
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "-f", fmt, root])
    assert rc == 0, err
    return json.loads(out)


def make_db(bulwark, tmp_path):
    db = tmp_path / "cvss.db"
    rc, _, err = bulwark.run(["db", "import", "--db", db, records(tmp_path)])
    assert rc == 0, err
    root = debian11_root(tmp_path / "root", [], python=[("cvss-both", "1.0"), ("cvss-reordered", "1.0"),
                                                         ("cvss-threat", "1.0")])
    return db, root


def test_v31_and_v40_both_reported_severity_from_v40(bulwark, tmp_path):
    db, root = make_db(bulwark, tmp_path)
    f = by_pkg_id(scan(bulwark, db, root))
    both = f[("cvss-both", "CVE-2099-4001")]
    assert both["severity"] == "CRITICAL"
    assert "severity from cvss_v4" in both["evidence"]
    assert both["cvss"] == [
        {"version": "4.0", "vector": V40, "score": 9.3, "severity": "CRITICAL", "nomenclature": "CVSS-B",
         "source": "GHSA-cvss-0001"},
        {"version": "3.1", "vector": V31, "score": 9.8, "severity": "CRITICAL", "source": "GHSA-cvss-0001"},
        {"version": "3.1", "vector": V31_NVD, "score": 7.5, "severity": "HIGH", "source": "CVE-2099-4001"},
    ]
    # a v4.0 vector out of the specification's order is not scored: v3.1 speaks
    ro = f[("cvss-reordered", "GHSA-cvss-0002")]
    assert ro["severity"] == "HIGH" and "severity from cvss_v3" in ro["evidence"]
    assert [c["version"] for c in ro["cvss"]] == ["3.1"]
    # the threat metric lowers the score, and the nomenclature says so
    th = f[("cvss-threat", "GHSA-cvss-0003")]
    assert th["severity"] == "HIGH"
    assert th["cvss"] == [{"version": "4.0", "vector": V40_BT, "score": 8.1, "severity": "HIGH",
                           "nomenclature": "CVSS-BT", "source": "GHSA-cvss-0003"}]


def test_table_shows_the_newest_cvss_score(bulwark, tmp_path):
    db, root = make_db(bulwark, tmp_path)
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", root])
    assert rc == 0, err
    block = out[out.index("\nvulnerability\n"):]
    assert "CVSS" in block.splitlines()[2]
    lines = {m.group(1): m.group(0) for m in re.finditer(r"^    \S+[ \t]+(\S+)[ \t].*$", block, re.M)}
    assert re.search(r"\s9\.3 v4\.0\s", lines["CVE-2099-4001"])       # merged with GHSA-cvss-0001: v4.0 first
    assert re.search(r"\s7\.5 v3\.1\s", lines["GHSA-cvss-0002"])      # the reordered v4.0 is not scored
    assert re.search(r"\s8\.1 v4\.0\s", lines["GHSA-cvss-0003"])      # CVSS-BT


def test_cyclonedx_ratings_and_sarif_properties_carry_the_vectors(bulwark, tmp_path):
    db, root = make_db(bulwark, tmp_path)
    cdx = scan(bulwark, db, root, "cyclonedx")
    assert_valid(cyclonedx_validator(), cdx)
    v = [x for x in cdx["vulnerabilities"] if x["id"] == "CVE-2099-4001"][0]
    assert v["ratings"][0] == {"severity": "critical"}
    assert v["ratings"][1:] == [
        {"source": {"name": "GHSA-cvss-0001"}, "score": 9.3, "severity": "critical", "method": "CVSSv4",
         "vector": V40},
        {"source": {"name": "GHSA-cvss-0001"}, "score": 9.8, "severity": "critical", "method": "CVSSv31",
         "vector": V31},
        {"source": {"name": "CVE-2099-4001"}, "score": 7.5, "severity": "high", "method": "CVSSv31",
         "vector": V31_NVD},
    ]
    sarif = scan(bulwark, db, root, "sarif")
    jsonschema.validate(sarif, json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text()))
    res = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "GHSA-cvss-0003"][0]
    assert res["properties"]["cvss"][0]["vector"] == V40_BT


def as_schema_1(db):
    """What bulwark before CVSS v4.0 wrote: no vectors, no references, no per-CVE or coverage
    tables, and the rating of the best v3 vector stored as the advisory's severity."""
    con = sqlite3.connect(db)
    for sql in ("ALTER TABLE advisories DROP COLUMN cvss", "ALTER TABLE advisories DROP COLUMN has_refs",
                "DROP TABLE refs", "DROP TABLE cves", "DROP TABLE coverage",
                "UPDATE advisories SET severity_source = 'cvss_v3', severity = CASE id"
                " WHEN 'GHSA-cvss-0001' THEN 5 ELSE 4 END",
                "UPDATE sources SET etag = 'x' WHERE name LIKE 'osv:%'", "PRAGMA user_version = 1"):
        con.execute(sql)
    con.commit()
    con.close()


def test_schema_1_database_is_upgraded_and_refilled_by_the_next_import(bulwark, tmp_path):
    db, root = make_db(bulwark, tmp_path)
    as_schema_1(db)
    # a scan reads it (upgrading it: it can write), and has no vectors yet: the stored
    # rating of the old schema speaks
    f = by_pkg_id(scan(bulwark, db, root))
    assert "cvss" not in f[("cvss-both", "CVE-2099-4001")]
    assert f[("cvss-both", "CVE-2099-4001")]["severity"] == "CRITICAL"
    rc, out, err = bulwark.run(["db", "info", "--db", db, "-f", "json"])
    assert rc == 0 and json.loads(out)["schema"] == 3
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM sources WHERE etag IS NOT NULL").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM coverage WHERE ecosystem = 'PyPI'").fetchone()[0] == 1
    con.close()
    # importing the same records again fills the vectors in
    rc, out, err = bulwark.run(["db", "import", "--db", db, "-f", "json", tmp_path / "osv"])
    assert rc == 0, err
    assert json.loads(out)["updated"] == 4
    f = by_pkg_id(scan(bulwark, db, root))
    assert len(f[("cvss-both", "CVE-2099-4001")]["cvss"]) == 3
    assert f[("cvss-both", "CVE-2099-4001")]["severity_source"] == "cvss_v4"
    rc, out, err = bulwark.run(["db", "import", "--db", db, "-f", "json", tmp_path / "osv"])
    assert json.loads(out)["unchanged"] == 4
