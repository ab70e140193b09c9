"""Finding-by-finding comparison of bulwark and Trivy outputs written by
bench/secret/run.sh: counts, and every file one tool flags and the other
does not (by rule), for bench/RESULTS.md."""

import collections
import json
import pathlib
import sys

W = pathlib.Path(sys.argv[1])


def load(p):
    return json.loads(p.read_text()) if p.exists() else None


def bw_paths(doc):
    out = collections.defaultdict(list)
    for f in (doc or {}).get("findings", []):
        if f["kind"] == "secret":
            out[f["location"]["path"]].append(f["id"])
    return out


def trivy_paths(doc, root=""):
    out = collections.defaultdict(list)
    for r in (doc or {}).get("Results") or []:
        for s in r.get("Secrets") or []:
            t = r["Target"]
            if root and t.startswith(root):
                t = t[len(root):]
            out["/" + t.lstrip("/")].append(s["RuleID"])
    return out


for name, root in (("text", str(W / "text")), ("img", ""), ("img-cfg", ""), ("layers", "")):
    b = bw_paths(load(W / f"bw-{name if name != 'img-cfg' else 'img'}.json"))
    t = trivy_paths(load(W / f"trivy-{name}.json"), root)
    if not b and not t:
        continue
    print(f"== {name}: bulwark {sum(map(len, b.values()))} findings in {len(b)} files, "
          f"trivy {sum(map(len, t.values()))} in {len(t)}")
    for p in sorted(set(b) | set(t)):
        if p not in t:
            print(f"  bulwark only: {p}: {sorted(set(b[p]))}")
        elif p not in b:
            print(f"  trivy only:   {p}: {sorted(set(t[p]))}")

m = json.loads((W / "corpus" / "manifest.json").read_text())
b = bw_paths(load(W / "bw-corpus.json"))
t = trivy_paths(load(W / "trivy-corpus.json"), str(W / "corpus"))
pos = [c for c in m if c["positive"]]
neg = [c for c in m if not c["positive"]]
print(f"== fixture corpus: {len(pos)} positives: bulwark {sum(c['path'] in b for c in pos)}, "
      f"trivy {sum(c['path'] in t for c in pos)}; {len(neg)} near misses: bulwark reports "
      f"{sum(c['path'] in b for c in neg)}, trivy {sum(c['path'] in t for c in neg)}")
for c in pos:
    if c["path"] in t and c["path"] not in b:
        print(f"  MISSED by bulwark, found by trivy: {c['case']}")
for c in neg:
    if c["path"] in t:
        print(f"  trivy on near miss {c['case']} ({c['rule']}): {t[c['path']]}")
