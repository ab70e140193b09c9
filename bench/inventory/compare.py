#!/usr/bin/python3
"""Set difference of (name, version) between bulwark's and Trivy's listings."""
import json, pathlib, sys

out = pathlib.Path(sys.argv[1])
for img in ("bookworm", "npm5000"):
    b = json.loads((out / f"{img}.bulwark.json").read_text())
    t = json.loads((out / f"{img}.trivy.json").read_text())
    bs = {(p["name"], p["version"]) for p in b["packages"]}
    ts = set()
    for c in t.get("components", []):
        if c.get("type") == "library" or c.get("purl"):
            ts.add((c.get("group") + "/" + c["name"] if c.get("group") else c["name"], c.get("version", "")))
    print(f"{img}: bulwark {len(bs)}, trivy {len(ts)}, only bulwark {len(bs - ts)}, only trivy {len(ts - bs)}")
    for x in sorted(bs - ts)[:10]:
        print("  only bulwark:", x)
    for x in sorted(ts - bs)[:10]:
        print("  only trivy:", x)
