"""The report formats CI systems upload, end to end: SARIF as GitHub code scanning
ingests it (SARIF 2.1.0 schema, GitHub's rule members and limits, partialFingerprints,
image findings at the Dockerfile line that made their layer with --dockerfile, else
at the image reference), JUnit XML (xmllint against the JUnit XSD), GitLab's
container-scanning and code-quality reports (jsonschema), --format compact (one line
a finding), and --format html (one self-contained page, opened in a real headless
Chromium: a screenshot that is not blank, the finding rows in its DOM, a hostile
file name from the image shown as text and never run)."""

import json
import os
import pathlib
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib

import jsonschema
import pytest

from test_vuln import DATA, debian11_root

SCHEMAS = pathlib.Path(__file__).resolve().parents[1] / "schemas"
HOSTILE = "<img src=x onerror=document.title=7>"
DOCKERFILE = """FROM {base}
COPY root/ /
RUN mkdir -p /app && \\
    printf 'GITHUB_TOKEN=%s%s\\n' 'ghp_' 'FAKEkeptkeptkeptkeptkeptkeptkeptkept' > /app/kept.env
RUN printf 'GITHUB_TOKEN=%s%s\\n' 'ghp_' 'FAKEhostilehostilehostilehostile1234' > '/app/{hostile}.env'
USER 1000
"""


@pytest.fixture(scope="module")
def vdb(bulwark, tmp_path_factory):
    db = tmp_path_factory.mktemp("vdb") / "ci.db"
    rc, out, err = bulwark.run(["db", "import", "--db", db, DATA / "records", DATA / "distro", DATA / "enrich"])
    assert rc == 0, err
    return db


@pytest.fixture(scope="module")
def ci_image(tiny_image, build_image, save, tmp_path_factory):
    """An image with vulnerable Debian packages (layer 1, COPY), a secret (layer 2,
    a RUN over two lines) and a secret in a file whose name is HTML (layer 3)."""
    d = tmp_path_factory.mktemp("ci-image")
    debian11_root(d / "root", [
        ("xserver-common", "2:1.20.11-1+deb11u5", "xorg-server", "all"),
        ("dino-im", "0.2.0-3"),
    ])
    (d / "Dockerfile").write_text(DOCKERFILE.format(base=tiny_image, hostile=HOSTILE))
    tag = build_image("bwtest/ci-formats:1", d)
    return save(tag), d / "Dockerfile"


def scan(bulwark, vdb, target, *args, expect=0):
    rc, out, err = bulwark.run(["image", "--db", vdb, "-q", *args, target])
    assert rc == expect, err
    return out


# ------------------------------------------------------------------ SARIF


def sarif_schema_validate(doc):
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)


def github_rules(doc):
    """What GitHub's code scanning checks of an upload (its documented limits)."""
    assert len(doc["runs"]) <= 20
    for run in doc["runs"]:
        rules = run["tool"]["driver"]["rules"]
        assert len(rules) <= 25000 and len(run["results"]) <= 25000
        ids = [r["id"] for r in rules]
        for r in rules:
            assert r["shortDescription"]["text"] and len(r["shortDescription"]["text"]) <= 1024
            assert r["fullDescription"]["text"]
            assert r["help"]["text"] and r["help"]["markdown"]
            sev = r["properties"]["security-severity"]
            assert 0.0 <= float(sev) <= 10.0
            assert len(r["properties"]["tags"]) <= 20
        for res in run["results"]:
            assert res["message"]["text"]
            assert ids[res["ruleIndex"]] == res["ruleId"]
            assert 1 <= len(res["locations"]) <= 1000
            pl = res["locations"][0]["physicalLocation"]
            assert pl["artifactLocation"]["uri"] and pl["region"]["startLine"] >= 1
            assert res["partialFingerprints"]["bulwarkFindingHash/v1"]


def test_sarif_image_findings_sit_on_the_dockerfile_line_of_their_layer(bulwark, vdb, ci_image, tmp_path):
    tar, dockerfile = ci_image
    doc = json.loads(scan(bulwark, vdb, tar, "-f", "sarif", "--dockerfile", dockerfile))
    sarif_schema_validate(doc)
    github_rules(doc)
    res = doc["runs"][0]["results"]
    where = {}
    for r in res:
        loc = r["locations"][0]
        names = [x["fullyQualifiedName"] for x in loc.get("logicalLocations", [])]
        where[(r["ruleId"], tuple(names))] = (loc["physicalLocation"]["artifactLocation"]["uri"],
                                              loc["physicalLocation"]["region"])
    vuln = [v for (rid, names), v in where.items() if rid == "DSA-9001-1"]
    assert vuln and vuln[0][0].endswith("Dockerfile") and vuln[0][1]["startLine"] == 2  # COPY root/ /
    kept = where[("BW-SEC-GH-001", ("/app/kept.env",))]
    assert kept[0].endswith("Dockerfile") and kept[1] == {"startLine": 3, "endLine": 4}
    hostile = where[("BW-SEC-GH-001", (f"/app/{HOSTILE}.env",))]
    assert hostile[1]["startLine"] == 5
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["DSA-9001-1"]["helpUri"].startswith("https://security-tracker.debian.org/tracker/DSA-9001-1")
    # fingerprints: stable from one scan to the next, distinct between findings
    again = json.loads(scan(bulwark, vdb, tar, "-f", "sarif", "--dockerfile", dockerfile))
    fp = [r["partialFingerprints"]["bulwarkFindingHash/v1"] for r in res]
    assert fp == [r["partialFingerprints"]["bulwarkFindingHash/v1"] for r in again["runs"][0]["results"]]
    assert len(set(fp)) == len(fp)


def test_sarif_image_findings_without_dockerfile_sit_at_the_image_reference(bulwark, vdb, ci_image):
    tar, _ = ci_image
    doc = json.loads(scan(bulwark, vdb, tar, "-f", "sarif"))
    sarif_schema_validate(doc)
    github_rules(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert len(uris) == 1 and uris.pop().endswith(pathlib.Path(tar).name)


def test_sarif_lint_rules_link_their_peer_pages_and_short_descriptions_are_cut(bulwark, tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM debian\nRUN apt-get install -y curl\n")
    rc, out, err = bulwark.run(["lint", "-f", "sarif", "--no-fail", f])
    assert rc == 0, err
    doc = json.loads(out)
    sarif_schema_validate(doc)
    github_rules(doc)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["BW-DF-042"]["helpUri"] == "https://github.com/hadolint/hadolint/wiki/DL3008"
    assert "DL3008" in rules["BW-DF-042"]["help"]["markdown"]
    res = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert res["artifactLocation"]["uri"].endswith("Dockerfile") and res["region"]["startLine"] >= 1


def test_sarif_short_description_is_at_most_1024_characters(bulwark, tmp_path):
    # a custom secret rule with a 3000-character title
    cfg = tmp_path / "secret.yaml"
    cfg.write_text("rules:\n  - id: long-title\n    title: '" + "é" * 3000 + "'\n"
                   "    regex: 'LONGTITLE[0-9]{8}'\n    severity: HIGH\n")
    root = tmp_path / "root"
    root.mkdir()
    (root / "f.txt").write_text("x = LONGTITLE12345678\n")
    rc, out, err = bulwark.run(["fs", "--scanners", "secret", "--secret-config", cfg, "-f", "sarif", root])
    if rc != 0 and "rules" in err:
        pytest.skip("custom secret rule syntax differs: " + err)
    assert rc == 0, err
    doc = json.loads(out)
    github_rules(doc)
    r = [r for r in doc["runs"][0]["tool"]["driver"]["rules"] if "é" in r["fullDescription"]["text"]][0]
    assert len(r["shortDescription"]["text"]) <= 1024 and len(r["fullDescription"]["text"]) == 3000


# ------------------------------------------------------------------ JUnit


def xmllint(xml_path):
    p = subprocess.run(["xmllint", "--noout", "--schema", str(SCHEMAS / "junit.bulwark.xsd"), str(xml_path)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_junit_one_suite_per_kind_one_case_per_finding(bulwark, vdb, ci_image, tmp_path):
    tar, _ = ci_image
    out = tmp_path / "junit.xml"
    scan(bulwark, vdb, tar, "-f", "junit", "-o", out)
    xmllint(out)
    root = ET.parse(out).getroot()
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) >= {"bulwark: vulnerability", "bulwark: secret"}
    sec = suites["bulwark: secret"]
    cases = sec.findall("testcase")
    assert int(sec.get("tests")) == len(cases) == int(sec.get("failures")) == 2
    assert any(HOSTILE in c.get("name") for c in cases)  # escaped in the file, read back as text
    assert all(c.find("failure").get("type") == "CRITICAL" for c in cases)
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites.values())


def test_junit_clean_lint_is_one_passing_case_and_suppressed_findings_are_skipped(bulwark, tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM debian:12@sha256:" + "a" * 64 + "\nUSER 1000\nHEALTHCHECK NONE\n")
    out = tmp_path / "j.xml"
    rc, _, err = bulwark.run(["lint", "-f", "junit", "-o", out, f])
    assert rc == 0, err
    xmllint(out)
    root = ET.parse(out).getroot()
    assert root.get("failures") == "0" and len(root.findall("testsuite/testcase")) == 1
    f.write_text("FROM debian:12\n# hadolint ignore=DL3002\nUSER root\n")
    rc, _, err = bulwark.run(["lint", "-f", "junit", "--show-suppressed", "-o", out, f])
    xmllint(out)
    skipped = ET.parse(out).getroot().findall("testsuite/testcase/skipped")
    assert skipped and "hadolint ignore=DL3002" in skipped[0].get("message")


# ------------------------------------------------------------------ GitLab


def gitlab_schemas():
    yield json.loads((SCHEMAS / "gitlab-container-scanning-15.bulwark.json").read_text())
    shared = os.environ.get("BW_SHARED_DATA")
    official = pathlib.Path(shared or "/nonexistent") / "schemas/gitlab/container-scanning-report-format.json"
    if official.exists():
        yield json.loads(official.read_text())


def test_gitlab_container_scanning_report(bulwark, vdb, ci_image, tmp_path):
    tar, _ = ci_image
    doc = json.loads(scan(bulwark, vdb, tar, "-f", "gitlab"))
    for schema in gitlab_schemas():
        jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())
    assert doc["version"].startswith("15.") and doc["scan"]["type"] == "container_scanning"
    vulns = {v["identifiers"][0]["value"]: v for v in doc["vulnerabilities"]}
    x = vulns["DSA-9001-1"]
    assert x["location"]["dependency"]["package"]["name"] == "xserver-common"
    assert x["location"]["operating_system"] == "debian:11" and x["location"]["image"] == str(tar)
    assert x["severity"] in ("Critical", "High", "Medium", "Low", "Info", "Unknown")
    assert "CVE-2099-1001" in {i["value"] for i in x["identifiers"]}
    # ids are stable: the same finding keeps its id from one scan to the next
    again = json.loads(scan(bulwark, vdb, tar, "-f", "gitlab"))
    assert [v["id"] for v in doc["vulnerabilities"]] == [v["id"] for v in again["vulnerabilities"]]
    assert not any(v["identifiers"][0]["value"].startswith("BW-SEC") for v in doc["vulnerabilities"])


def test_gitlab_codequality_report_for_lint(bulwark, tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM debian\nRUN apt-get install -y curl\n")
    rc, out, err = bulwark.run(["lint", "-f", "gitlab-codequality", f])
    assert rc == 1, err
    doc = json.loads(out)
    jsonschema.validate(doc, json.loads((SCHEMAS / "gitlab-codequality.bulwark.json").read_text()))
    by = {d["check_name"]: d for d in doc}
    assert by["BW-DF-042"]["location"] == {"path": str(f), "lines": {"begin": 2, "end": 2}}
    assert by["BW-DF-004"]["severity"] == "critical"
    assert len({d["fingerprint"] for d in doc}) == len(doc)


# ------------------------------------------------------------------ compact


def test_compact_lines_like_gcc_and_hadolint(bulwark, vdb, ci_image, tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM debian:12\nRUN apt-get install -y curl\n")
    rc, out, err = bulwark.run(["lint", "-f", "compact", f])
    assert rc == 1, err
    lines = out.splitlines()
    assert f"{f}:2:5: medium BW-DF-042 apt-get install without version pins" in lines
    assert all(line.startswith(f"{f}:") for line in lines)
    tar, _ = ci_image
    out = scan(bulwark, vdb, tar, "-f", "compact", "--scanners", "secret")
    assert f"{tar}:/app/kept.env:1:14: critical BW-SEC-GH-001 GitHub personal access token (classic)" in out
    assert len(out.splitlines()) == 2


def test_compact_never_breaks_a_line_or_passes_control_bytes(bulwark, tmp_path):
    root = tmp_path / "root"
    (root / "app").mkdir(parents=True)
    (root / "app" / "evil\x1b[2J\nname.env").write_text(
        "GITHUB_TOKEN=" + "ghp_" + "FAKEkeptkeptkeptkeptkeptkeptkeptkept\n")
    rc, out, err = bulwark.run(["fs", "--scanners", "secret", "-f", "compact", root])
    assert rc == 0, err
    assert "\x1b" not in out and len(out.splitlines()) == 1 and "\\x1b" in out.lower()


# ------------------------------------------------------------------ HTML in Chromium


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("chromium is not installed (deps/debian-packages.txt lists it)")


def chrome_run(tmp_path, *args):
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--virtual-time-budget=3000", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    return p


def png_pixels(path):
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of bytes."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return rows, bpp


def test_html_report_is_self_contained_and_renders_in_chromium(bulwark, vdb, ci_image, tmp_path):
    tar, dockerfile = ci_image
    page = tmp_path / "report.html"
    scan(bulwark, vdb, tar, "-f", "html", "-o", page, "--dockerfile", dockerfile, "--list-packages")
    html = page.read_text()
    # self-contained: no URL is loaded at view time
    for needle in ("src=\"http", "href=\"http://", "<link", "@import", "url("):
        assert needle not in html.replace('<a rel="noreferrer" href="https://', "")
    assert "default-src 'none'" in html
    # the hostile name is escaped in the file
    assert HOSTILE not in html and "&lt;img src=x onerror=document.title=7&gt;" in html
    for chart in ("chart-severity", "chart-kind", "chart-layer"):
        assert f'id="{chart}"' in html

    dom = chrome_run(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    out = dom.stdout
    rows = out.count('class="finding')
    assert rows >= 4  # two vulnerabilities, two secrets
    assert "DSA-9001-1" in out and "/app/kept.env" in out
    assert f"/app/&lt;img src=x onerror=document.title=7&gt;.env" in out  # shown as text
    assert '<img src="x"' not in out and "<title>bulwark: " in out and "<title>7</title>" not in out
    assert 'id="shown">' + str(rows) + "<" in out  # the script ran: it counted the rows

    shot = tmp_path / "shot.png"
    p = chrome_run(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    assert p.returncode == 0 and shot.exists(), p.stderr[-2000:]
    pixels, bpp = png_pixels(shot)
    colours = set()
    for row in pixels[::7]:
        for x in range(0, len(row), bpp * 5):
            colours.add(row[x:x + 3])
    assert len(colours) > 8  # text, bars, badges: not a blank page
    # a severity badge's colour (CRITICAL) is on screen
    assert any(abs(c[0] - 0xb7) < 8 and c[1] < 0x30 and c[2] < 0x30 for c in colours)


def test_html_sorting_and_filtering_work_in_chromium(bulwark, tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM debian\nRUN apt-get install -y curl\n")
    page = tmp_path / "lint.html"
    rc, _, err = bulwark.run(["lint", "-f", "html", "-o", page, "--no-fail", f])
    assert rc == 0, err
    # the test drives the page's own controls: a script appended to a copy (same origin, file://)
    driver = page.read_text().replace("</body>", """<script nonce="TESTNONCE">
document.querySelector('#findings th').click();
document.querySelector('#findings th').click();
var m=document.getElementById('minsev'); m.value='4'; m.dispatchEvent(new Event('change'));
var vis=[].filter.call(document.querySelectorAll('#findings tbody tr'),function(r){return !r.hidden;});
document.body.setAttribute('data-visible', vis.length);
document.body.setAttribute('data-first', document.querySelector('#findings tbody tr').getAttribute('data-sev'));
</script></body>""")
    driver = driver.replace("script-src 'nonce-", "script-src 'nonce-TESTNONCE' 'nonce-")
    page2 = tmp_path / "driven.html"
    page2.write_text(driver)
    dom = chrome_run(tmp_path, "--dump-dom", page2.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    import re
    vis = int(re.search(r'data-visible="(\d+)"', dom.stdout).group(1))
    first = int(re.search(r'data-first="(\d+)"', dom.stdout).group(1))
    assert vis == 1  # only BW-DF-004 (HIGH) stays at "HIGH and above"
    assert first == 4  # sorted by severity, highest first after the second click
