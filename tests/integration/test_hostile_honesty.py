"""Hostile or broken inputs that used to be accepted quietly (issue 18, "Data and
honesty"): a document that holds nothing valid must not replace good data, an unreadable
file must not be skipped in silence, and an error must name its real cause."""

import json
import os
import pathlib
import subprocess

import pytest

KEV_GOOD = {"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "2025.08.25",
            "dateReleased": "2025-08-25T00:00:00.000Z", "count": 2,
            "vulnerabilities": [{"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10"},
                                {"cveID": "CVE-2021-45046", "dateAdded": "2021-12-14"}]}
EPSS_GOOD = ("#model_version:v2023.03.01,score_date:2024-10-25T00:00:00+0000\n"
             "cve,epss,percentile\nCVE-2021-44228,0.97565,0.99996\nCVE-2021-45046,0.97334,0.99946\n"
             "CVE-2022-34668,0.01200,0.80000\n")


def db_info(bulwark, db):
    rc, out, err = bulwark.run(["db", "info", "--db", db, "-f", "json"])
    assert rc == 0, err
    return json.loads(out)


def enrichment(bulwark, db):
    info = db_info(bulwark, db)
    c = info.get("counts", info)
    return c["kev"], c["epss"]


# ----------------------------------------------------- 15. KEV / EPSS without a valid row


@pytest.fixture
def enriched_db(bulwark, tmp_path):
    db = tmp_path / "v.db"
    (tmp_path / "kev.json").write_text(json.dumps(KEV_GOOD))
    (tmp_path / "epss.csv").write_text(EPSS_GOOD)
    rc, out, err = bulwark.run(["db", "import", "--db", db, tmp_path / "kev.json", tmp_path / "epss.csv"])
    assert rc == 0, err
    assert enrichment(bulwark, db) == (2, 3)
    return db


@pytest.mark.parametrize("name,text", [
    ("kev-bad-ids.json", json.dumps({**KEV_GOOD, "vulnerabilities": [{"cveID": "not-a-cve"}, {"x": 1}]})),
    ("kev-empty.json", json.dumps({**KEV_GOOD, "vulnerabilities": []})),
    ("epss-truncated.csv", "#model_version:v2023.03.01,score_date:2024-10-25T00:00:00+0000\ncve,epss,percentile\n"),
    ("epss-html.csv", "cve,epss,percentile\n<html><body>503 Service Unavailable</body></html>\n"),
])
def test_enrichment_document_without_a_valid_row_is_refused_and_keeps_the_data(bulwark, tmp_path, enriched_db,
                                                                                name, text):
    bad = tmp_path / name
    bad.write_text(text)
    rc, out, err = bulwark.run(["db", "import", "--db", enriched_db, bad])
    assert rc == 3, f"exit {rc}: {out}{err}"
    assert name in err, err
    assert enrichment(bulwark, enriched_db) == (2, 3)


def test_enrichment_import_states_what_it_replaced(bulwark, tmp_path, enriched_db):
    kev = dict(KEV_GOOD, vulnerabilities=KEV_GOOD["vulnerabilities"] + [{"cveID": "CVE-2022-34668"}])
    (tmp_path / "kev2.json").write_text(json.dumps(kev))
    rc, out, err = bulwark.run(["db", "import", "--db", enriched_db, "-f", "json", tmp_path / "kev2.json"])
    assert rc == 0, err
    doc = json.loads(out)
    assert (doc["kev"], doc["kev_replaced"]) == (3, 2), doc
    assert doc.get("epss_replaced") is None, doc  # not imported: nothing replaced
    rc, out, err = bulwark.run(["db", "import", "--db", enriched_db, tmp_path / "epss.csv"])
    assert rc == 0, err
    assert "EPSS 3 (replacing 3)" in out, out
