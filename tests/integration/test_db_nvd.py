"""db update --ecosystem NVD against an NVD CVE API 2.0 on 127.0.0.1: the first run pages
through everything, later runs ask for what changed since the last one (lastModStartDate),
an interrupted run resumes at the page that failed, NVD's rate limit is kept (5 requests in
any window without an API key, 50 with one: the window is shortened for the test), a throttled
answer (403) is retried, and the data reaches findings."""

import datetime
import http.server
import json
import threading
import time
import urllib.parse

import pytest

from test_db import DATA, db_json, import_


def entry(cve, modified, vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", kind="Primary"):
    return {"cve": {"id": cve, "sourceIdentifier": "cve@example.org", "published": "2024-01-01T00:00:00.000",
                    "lastModified": modified, "vulnStatus": "Analyzed",
                    "descriptions": [{"lang": "en", "value": "test"}],
                    "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": kind,
                                                   "cvssData": {"version": "3.1", "vectorString": vector,
                                                                "baseScore": 7.5, "baseSeverity": "HIGH"}}]},
                    "references": [{"url": f"https://example.org/{cve}", "source": "cve@example.org"}]}}


def parse_nvd_date(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.000+00:00").replace(tzinfo=datetime.timezone.utc)


class NVD:
    """The CVE API: startIndex/resultsPerPage paging (at most `page` per answer), the
    lastModStartDate/lastModEndDate filter on each entry's "modified" time (unix seconds),
    and knobs to fail a page or throttle."""

    def __init__(self, page=2):
        self.page = page
        self.cves = []  # (entry, modified unix time)
        self.requests = []  # (monotonic time, query dict, headers)
        self.fail_index = None
        self.throttle = 0
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                path, _, query = self.path.partition("?")
                q = dict(urllib.parse.parse_qsl(query))
                api.requests.append((time.monotonic(), q, dict(self.headers)))
                if api.throttle:
                    api.throttle -= 1
                    return self.answer(403, b"")
                start = int(q.get("startIndex", "0"))
                if api.fail_index is not None and start == api.fail_index:
                    return self.answer(500, b"")
                items = api.cves
                if "lastModStartDate" in q:
                    lo = parse_nvd_date(q["lastModStartDate"]).timestamp()
                    hi = parse_nvd_date(q["lastModEndDate"]).timestamp()
                    items = [c for c in items if lo <= c[1] <= hi]
                n = min(int(q.get("resultsPerPage", "2000")), api.page)
                body = json.dumps({"resultsPerPage": n, "startIndex": start, "totalResults": len(items),
                                   "format": "NVD_CVE", "version": "2.0",
                                   "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000", time.gmtime()),
                                   "vulnerabilities": [c[0] for c in items[start:start + n]]}).encode()
                self.answer(200, body)

            def answer(self, code, body):
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rest/json/cves/2.0"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, cve, modified_unix, **kw):
        stamp = datetime.datetime.fromtimestamp(modified_unix, datetime.timezone.utc)
        self.cves.append((entry(cve, stamp.strftime("%Y-%m-%dT%H:%M:%S.000"), **kw), modified_unix))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def nvd():
    s = NVD()
    yield s
    s.close()


def update(bulwark, db, nvd, *args, env=None):
    rc, out, err = bulwark.run(["db", "update", "--db", db, "--nvd-url", nvd.url, "--ecosystem", "NVD",
                                "-f", "json", *args], env=env)
    return rc, (json.loads(out)[0] if out.strip() else None), err


def cve_rows(db):
    import sqlite3
    con = sqlite3.connect(db)
    rows = dict(con.execute("SELECT cve, nvd_cvss FROM cves WHERE origin = 'nvd'"))
    meta = dict(con.execute("SELECT key, value FROM meta WHERE key LIKE 'nvd.%'"))
    con.close()
    return rows, meta


def test_first_run_pages_everything_then_only_changes(bulwark, tmp_path, nvd):
    db = tmp_path / "n.db"
    old = int(time.time()) - 86400 * 30
    for i in range(5):
        nvd.add(f"CVE-2099-10{i:02d}", old)
    rc, res, err = update(bulwark, db, nvd)
    assert rc == 0, err
    assert res["status"] == "updated" and res["import"]["cves"] == 5
    starts = [int(q["startIndex"]) for _, q, _ in nvd.requests]
    assert starts == [0, 2, 4]
    assert all("lastModStartDate" not in q for _, q, _ in nvd.requests)
    rows, meta = cve_rows(db)
    assert len(rows) == 5 and "nvd.mark" in meta and "nvd.full_index" not in meta
    mark = int(meta["nvd.mark"])

    # one CVE changes: the next run asks for what changed since the mark, and gets that one
    nvd.requests.clear()
    changed = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    nvd.cves[3] = (entry("CVE-2099-1003", datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.000"), vector=changed), int(time.time()))
    rc, res, err = update(bulwark, db, nvd)
    assert rc == 0, err
    assert res["status"] == "updated" and res["import"]["cves"] == 1
    q = nvd.requests[0][1]
    assert parse_nvd_date(q["lastModStartDate"]).timestamp() == mark
    assert cve_rows(db)[0]["CVE-2099-1003"] == changed

    # nothing changed since: not modified; and NVD is among the defaults now
    nvd.requests.clear()
    rc, out, err = bulwark.run(["db", "update", "--db", db, "--nvd-url", nvd.url, "-f", "json"])
    assert rc == 0, err
    assert json.loads(out) == [{"ecosystem": "NVD", "status": "not_modified",
                                "message": "no CVE modified since the last update"}]


def test_interrupted_first_run_resumes_at_the_failed_page(bulwark, tmp_path, nvd):
    db = tmp_path / "n.db"
    import_(bulwark, db, DATA / "records")
    for i in range(5):
        nvd.add(f"CVE-2099-20{i:02d}", int(time.time()) - 86400)
    nvd.fail_index = 2
    rc, res, err = update(bulwark, db, nvd)
    assert rc == 3 and res["status"] == "failed" and "HTTP 500" in res["message"]
    rows, meta = cve_rows(db)
    assert sorted(rows) == ["CVE-2099-2000", "CVE-2099-2001"]  # the page before the failure is kept
    assert meta["nvd.full_index"] == "2" and "nvd.mark" not in meta
    nvd.fail_index = None
    nvd.requests.clear()
    rc, res, err = update(bulwark, db, nvd)
    assert rc == 0, err
    assert [int(q["startIndex"]) for _, q, _ in nvd.requests] == [2, 4]
    rows, meta = cve_rows(db)
    assert len(rows) == 5 and "nvd.mark" in meta and "nvd.full_index" not in meta


def test_rate_limit_without_and_with_an_api_key(bulwark, tmp_path):
    window = 1.5
    env = {"BULWARK_NVD_WINDOW_MS": str(int(window * 1000))}
    nvd = NVD(page=1)
    try:
        for i in range(8):
            nvd.add(f"CVE-2099-30{i:02d}", int(time.time()) - 86400)
        rc, res, err = update(bulwark, tmp_path / "a.db", nvd, env=env)
        assert rc == 0, err
        t = [r[0] for r in nvd.requests]
        assert len(t) == 8
        # no 6 requests within one window (the server sees them a little after they leave)
        assert all(t[i + 5] - t[i] >= window * 0.9 for i in range(len(t) - 5)), t
        assert all("apiKey" not in h for _, _, h in nvd.requests)
        # with a key: 50 in a window, and the key is sent as NVD asks (the apiKey header)
        nvd.requests.clear()
        rc, res, err = update(bulwark, tmp_path / "b.db", nvd, "--nvd-api-key", "test-key-123", env=env)
        assert rc == 0, err
        assert len(nvd.requests) == 8
        assert all(h.get("apiKey") == "test-key-123" for _, _, h in nvd.requests)
        # the environment's NVD_API_KEY when no option is given
        nvd.requests.clear()
        rc, res, err = update(bulwark, tmp_path / "c.db", nvd, env=dict(env, NVD_API_KEY="from-env"))
        assert rc == 0, err
        assert all(h.get("apiKey") == "from-env" for _, _, h in nvd.requests)
    finally:
        nvd.close()


def test_throttled_answer_is_retried_after_a_window(bulwark, tmp_path, nvd):
    nvd.add("CVE-2099-4000", int(time.time()) - 86400)
    nvd.throttle = 1
    rc, res, err = update(bulwark, tmp_path / "t.db", nvd, env={"BULWARK_NVD_WINDOW_MS": "300"})
    assert rc == 0, err
    assert res["import"]["cves"] == 1
    assert len(nvd.requests) == 2
    assert nvd.requests[1][0] - nvd.requests[0][0] >= 0.3 * 0.9


def test_nvd_data_reaches_findings(bulwark, tmp_path, nvd):
    db = tmp_path / "f.db"
    import_(bulwark, db, DATA / "records", DATA / "distro")
    nvd.add("CVE-2099-1000", int(time.time()) - 86400,
            vector="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")  # dino-im's DSA-9000-1
    rc, res, err = update(bulwark, db, nvd)
    assert rc == 0, err
    info = {s["name"]: s for s in db_json(bulwark, "info", "--db", db)["sources"]}
    assert info["nvd"]["location"] == nvd.url and info["nvd"]["age_days"] == 0  # the answer's timestamp
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc/os-release").write_text('ID=debian\nVERSION_ID="11"\n')
    (root / "var/lib/dpkg").mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_text("Package: dino-im\nStatus: install ok installed\n"
                                              "Architecture: amd64\nVersion: 0.2.0-3\n\n")
    rc, out, err = bulwark.run(["fs", "--db", db, "--scanners", "vuln", "-f", "json", root])
    assert rc == 0, err
    v = json.loads(out)["findings"][0]
    assert (v["id"], v["severity"], v["severity_source"]) == ("CVE-2099-1000", "CRITICAL", "nvd")
    assert v["references"] == ["https://example.org/CVE-2099-1000"]
