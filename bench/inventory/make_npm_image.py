#!/usr/bin/python3
"""Write a docker build context with N node_modules packages (package.json + index.js),
nested one level for every tenth, for the inventory benchmark."""
import json, pathlib, sys

out = pathlib.Path(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
base = sys.argv[3] if len(sys.argv) > 3 else "tiny:1"
nm = out / "app/node_modules"
for i in range(n):
    d = nm / f"bw-pkg-{i:05d}" if i % 10 else nm / f"bw-pkg-{i - 1 if i else 1:05d}/node_modules/bw-pkg-{i:05d}"
    d.mkdir(parents=True, exist_ok=True)
    (d / "package.json").write_text(json.dumps({"name": f"bw-pkg-{i:05d}", "version": f"1.{i % 97}.{i % 13}",
                                                "license": "MIT", "main": "index.js",
                                                "dependencies": {f"bw-pkg-{(i + 1) % n:05d}": "^1"}}))
    (d / "index.js").write_text("module.exports = 1;\n")
(out / "app/package.json").write_text(json.dumps({"name": "bench-app", "version": "1.0.0"}))
(out / "Dockerfile").write_text(f"FROM {base}\nCOPY app /app\n")
