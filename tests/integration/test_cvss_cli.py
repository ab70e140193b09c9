"""`bulwark cvss`: the CVSS calculator on the command line (table, JSON,
--batch), its exit codes and its error messages."""
import json

V40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
V31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
V2 = "AV:N/AC:L/Au:N/C:P/I:P/A:P"


def test_cvss_table_shows_score_rating_version_nomenclature_macro_vector(bulwark):
    rc, out, err = bulwark.run(["cvss", V40, V40 + "/E:U/CR:L", V31, V2])
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["SCORE", "RATING", "VERSION", "NOMENCLATURE", "MACRO", "VECTOR"]
    assert lines[1].split() == ["9.3", "CRITICAL", "4.0", "CVSS-B", "000200", V40]
    assert lines[2].split() == ["8.0", "HIGH", "4.0", "CVSS-BTE", "000220", V40 + "/E:U/CR:L"]
    assert lines[3].split() == ["9.8", "CRITICAL", "3.1", "-", "-", V31]
    assert lines[4].split() == ["7.5", "HIGH", "2.0", "-", "-", V2]


def test_cvss_json(bulwark):
    j = bulwark.json(["cvss", "--format", "json", V40 + "/E:P", V31])
    assert j["schema"] == "bulwark.cvss/v1"
    a, b = j["scores"]
    assert a == {"vector": V40 + "/E:P", "version": "4.0", "score": 8.9, "rating": "HIGH", "severity": "HIGH",
                 "nomenclature": "CVSS-BT", "macro_vector": "000210"}
    assert b["version"] == "3.1" and b["score"] == 9.8 and "nomenclature" not in b


def test_cvss_no_impact_is_rating_none_severity_info(bulwark):
    none = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N"
    j = bulwark.json(["cvss", "-f", "json", none])
    assert j["scores"][0]["score"] == 0.0
    assert j["scores"][0]["rating"] == "NONE" and j["scores"][0]["severity"] == "INFO"


def test_cvss_bad_vector_exits_3_naming_it_and_scores_the_rest(bulwark, tmp_path):
    reordered = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N"
    rc, out, err = bulwark.run(["cvss", V40, reordered, V40 + "/"])
    assert rc == 3
    assert "9.3" in out
    assert reordered in err and "SC where VI must come" in err
    assert V40 + "/'" in err and "empty metric" in err
    assert len(err.strip().splitlines()) == 2
    # JSON carries the error in place of the score
    rc, out, err = bulwark.run(["cvss", "-f", "json", "-o", str(tmp_path / "c.json"), reordered])
    assert rc == 3
    j = json.loads((tmp_path / "c.json").read_text())
    assert j["scores"][0]["vector"] == reordered and "must come" in j["scores"][0]["error"]


def test_cvss_control_bytes_are_not_echoed(bulwark):
    rc, _, err = bulwark.run(["cvss", V40 + "\x1b[31m"])
    assert rc == 3
    assert "\x1b" not in err and "?[31m" in err


def test_cvss_usage_errors(bulwark):
    rc, _, err = bulwark.run(["cvss"])
    assert rc == 2 and "missing VECTOR" in err
    rc, _, err = bulwark.run(["cvss", "--batch", V40])
    assert rc == 2 and "standard input" in err
    rc, _, err = bulwark.run(["cvss", "-f", "sarif", V40])
    assert rc == 2 and "table or json" in err


def test_cvss_batch_one_answer_per_line(bulwark):
    lines = [V40, V40 + "\r", "", "CVSS:4.0/AV:N", "x" * 5000, V31, V2 + "/E:F", "CVSS:4.0/" + "/" * 300]
    rc, out, err = bulwark.run(["cvss", "--batch"], input="\n".join(lines))  # no final newline
    assert rc == 0, err
    assert out.split("\n") == ["9.3\tCRITICAL", "9.3\tCRITICAL", "invalid", "invalid", "invalid",
                               "9.8\tCRITICAL", "7.5\tHIGH", "invalid", ""]
