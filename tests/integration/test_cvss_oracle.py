"""Differential test: bulwark's CVSS v4.0 scores against an independent
implementation, ae-cvss-calculator from the npm registry (pinned below; its
v4.0 scores agree with FIRST's calculator, including the 10^-6 rounding that
@pandatix/js-cvss 0.4.4 lacks).

BW_CVSS_ORACLE_CASES (default 20000) different random valid v4.0 vectors are made from a
fixed seed (BW_ORACLE_SEED for another one): a third with base metrics only,
the others with threat, environmental and supplemental metrics (X included),
always in the specification's order. Each is scored by `bulwark cvss --batch`
and by the oracle; any disagreement fails with the first ones and the seed.
The oracle is installed once with npm into BW_TEST_CACHE; without node/npm or
the registry the test is skipped, naming why."""
import json
import os
import pathlib
import random
import shutil
import subprocess

import pytest

ORACLE = "ae-cvss-calculator"
ORACLE_VERSION = "1.0.13"
N = int(os.environ.get("BW_CVSS_ORACLE_CASES", "20000"))
SEED = int(os.environ.get("BW_ORACLE_SEED", "20231101"))
REPO = pathlib.Path(__file__).resolve().parents[2]

BASE = [("AV", "NALP"), ("AC", "LH"), ("AT", "NP"), ("PR", "NLH"), ("UI", "NPA"),
        ("VC", "HLN"), ("VI", "HLN"), ("VA", "HLN"), ("SC", "HLN"), ("SI", "HLN"), ("SA", "HLN")]
THREAT = [("E", "XAPU")]
ENV = [("CR", "XHML"), ("IR", "XHML"), ("AR", "XHML"), ("MAV", "XNALP"), ("MAC", "XLH"),
       ("MAT", "XNP"), ("MPR", "XNLH"), ("MUI", "XNPA"), ("MVC", "XHLN"), ("MVI", "XHLN"),
       ("MVA", "XHLN"), ("MSC", "XHLN"), ("MSI", "XSHLN"), ("MSA", "XSHLN")]
SUPPLEMENTAL = [("S", "XNP"), ("AU", "XNY"), ("R", "XAUI"), ("V", "XDC"), ("RE", "XLMH"),
                ("U", ["X", "Clear", "Green", "Amber", "Red"])]

# Vectors with threat and environmental metrics (the worked ones of
# tests/unit/vulndb/cvss.cases); they run even when the random ones are few.
FIXED = [
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:L/IR:L/AR:L",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S/MSA:S",
    "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U/CR:L/IR:L/AR:L",
    "CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:L/VA:N/SC:H/SI:L/SA:N/E:P/CR:M/IR:H/AR:L/MAV:L/MAC:L"
    "/MAT:N/MPR:H/MUI:A/MVC:L/MVI:H/MVA:L/MSC:N/MSI:S/MSA:H/S:N/AU:N/R:U/V:D/RE:M/U:Amber",
]

NODE_SCRIPT = r"""
const ae = require('ae-cvss-calculator');
const lines = require('fs').readFileSync(0, 'utf8').split('\n');
lines.pop();
const out = [];
for (const v of lines) {
  try { out.push(new ae.Cvss4P0(v).calculateScores().overall.toFixed(1)); }
  catch (e) { out.push('error ' + String(e && e.message).split('\n')[0]); }
}
process.stdout.write(out.join('\n') + '\n');
"""


def random_vector(r):
    kind = r.randrange(3)
    parts = ["CVSS:4.0"] + ["%s:%s" % (k, r.choice(v)) for k, v in BASE]
    if kind:
        p = r.choice([0.2, 0.5, 0.9])
        for k, v in THREAT + ENV + SUPPLEMENTAL:
            if r.random() < p:
                parts.append("%s:%s" % (k, r.choice(v)))
    return "/".join(parts)


@pytest.fixture(scope="module")
def oracle_dir():
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are needed for the %s oracle" % ORACLE)
    cache = pathlib.Path(os.environ.get("BW_TEST_CACHE") or (REPO / "build" / "test-cache"))
    d = cache / ("npm-%s-%s" % (ORACLE, ORACLE_VERSION))
    pkg = d / "node_modules" / ORACLE / "package.json"
    if not pkg.exists():
        d.mkdir(parents=True, exist_ok=True)
        p = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(d),
                            "%s@%s" % (ORACLE, ORACLE_VERSION)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
        if p.returncode != 0 or not pkg.exists():
            pytest.skip("npm could not install %s@%s: %s" % (ORACLE, ORACLE_VERSION,
                                                              p.stderr.decode(errors="replace")[-300:]))
    version = json.loads(pkg.read_text())["version"]
    assert version == ORACLE_VERSION
    return d


def oracle_scores(d, vectors):
    env = dict(os.environ, NODE_PATH=str(d / "node_modules"))
    p = subprocess.run(["node", "-e", NODE_SCRIPT], input="".join(v + "\n" for v in vectors).encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, timeout=600)
    assert p.returncode == 0, p.stderr.decode(errors="replace")[-2000:]
    out = p.stdout.decode().split("\n")[:-1]
    assert len(out) == len(vectors)
    return out


def bulwark_scores(bulwark, vectors):
    rc, out, err = bulwark.run(["cvss", "--batch"], input="".join(v + "\n" for v in vectors))
    assert rc == 0, err
    lines = out.split("\n")[:-1]
    assert len(lines) == len(vectors)
    return lines


def test_v4_scores_match_ae_cvss_calculator(bulwark, oracle_dir):
    r = random.Random(SEED)
    vectors, seen = list(FIXED), set(FIXED)
    while len(vectors) < len(FIXED) + N:  # N different random vectors
        v = random_vector(r)
        if v not in seen:
            seen.add(v)
            vectors.append(v)
    ours = bulwark_scores(bulwark, vectors)
    theirs = oracle_scores(oracle_dir, vectors)
    bad = []
    for v, o, t in zip(vectors, ours, theirs):
        if o == "invalid" or t.startswith("error") or o.split("\t")[0] != t:
            bad.append((v, o, t))
    with_env = sum(1 for v in vectors if len(v.split("/")) > 12)
    print("cvss v4.0 vs %s %s: %d vectors (%d with threat/environmental/supplemental metrics), seed %d, "
          "%d disagreements" % (ORACLE, ORACLE_VERSION, len(vectors), with_env, SEED, len(bad)))
    if bad:
        msg = ["%d of %d vectors disagree (seed %d; rerun with BW_ORACLE_SEED=%d):"
               % (len(bad), len(vectors), SEED, SEED)]
        for v, o, t in bad[:20]:
            msg.append("  %s  bulwark=%r oracle=%r" % (v, o, t))
        pytest.fail("\n".join(msg))
    # every rating band and both ends of the scale were met
    ratings = {o.split("\t")[1] for o in ours}
    assert ratings == {"NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"}, ratings
