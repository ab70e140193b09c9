#!/usr/bin/env python3
"""The module floors of ../shared/ARCHITECTURE.md, enforced on src/.

Each folder of src/ is a module. A module may include the public header of a
module on a lower floor (src/<m>/<m>.h), never one on a higher floor, never
another module's private headers, and one on its own floor only where the
table below allows it; there is no cycle. A new folder must be given a floor
here before it builds. Exit status 1 and one line per problem otherwise.

Usage: scripts/check-layers.py [SRC_DIR]     (default: src next to this script)
"""
import os
import re
import sys

# Top floor first; the same as ARCHITECTURE.md's picture.
FLOORS = [
    ["cli"],
    ["serve"],
    ["audit", "trust", "monitor", "net"],
    ["iac", "scan"],
    ["match", "inventory", "secret", "lint", "imgcheck"],
    ["image", "vulndb", "cache"],
    ["registry", "engine", "store", "version", "report", "suppress", "shell", "sandbox"],
    ["core"],
]
# Edges between modules of one floor that ARCHITECTURE.md allows, and one it
# should: suppress marks the report's findings suppressed, so it knows the
# report model (its floor could as well be the one above).
SAME_FLOOR = {("net", "iac"), ("suppress", "report")}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z0-9_]+)/([^"]+)"', re.M)


def floor_of(module):
    for i, row in enumerate(FLOORS):
        if module in row:
            return i
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "src")
    problems = []
    edges = {}
    modules = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    for m in modules:
        if floor_of(m) is None:
            problems.append(f"src/{m}: a module with no floor (add it to FLOORS in {sys.argv[0]})")
            continue
        edges.setdefault(m, set())
        mdir = os.path.join(src, m)
        for name in sorted(os.listdir(mdir)):
            if not name.endswith((".c", ".h")):
                continue
            rel = f"src/{m}/{name}"
            with open(os.path.join(mdir, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
            for match in INCLUDE.finditer(text):
                dep, header = match.group(1), match.group(2)
                if dep == m:
                    continue
                line = text.count("\n", 0, match.start()) + 1
                where = f"{rel}:{line}"
                df = floor_of(dep)
                if df is None:
                    problems.append(f"{where}: includes {dep}/{header}, a module with no floor")
                    continue
                if dep != "core" and header != f"{dep}.h" and not (dep == "core" and header == "banned.h"):
                    problems.append(f"{where}: includes {dep}/{header}, not {dep}'s public header {dep}/{dep}.h")
                mf = floor_of(m)
                if df < mf:
                    problems.append(f"{where}: {m} (floor {mf}) includes {dep}/{header} from a higher floor ({df})")
                elif df == mf and (m, dep) not in SAME_FLOOR:
                    problems.append(f"{where}: {m} includes {dep}/{header} on its own floor, which ARCHITECTURE.md does not allow")
                edges[m].add(dep)
    # a cycle is impossible with the rules above unless SAME_FLOOR makes one; check anyway
    state = {}

    def visit(m, path):
        state[m] = 1
        for d in sorted(edges.get(m, ())):
            if state.get(d) == 1:
                cyc = path[path.index(d):] + [d] if d in path else [m, d]
                problems.append("cycle: " + " -> ".join(cyc))
            elif d not in state:
                visit(d, path + [d])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    for p in problems:
        print(p)
    if problems:
        print(f"check-layers: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-layers: {len(edges)} modules, "
          f"{sum(len(v) for v in edges.values())} module edges, all downwards", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
