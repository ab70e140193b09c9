"""The secret fixture corpus as files, from tests/unit/secret/cases/*.cases.

One file per case: DIR/pos/<family>-<line>.txt for cases that must give one
finding, DIR/neg/<family>-<line>.txt for near misses; a case with @PATH is
written at DIR/<pos|neg>/<family>-<line>/PATH instead. Expansion is the same
as the C runner's (tests/unit/secret/test_rules.c): escapes, %% removed,
⟦⟧ markers dropped, {{cN}} from xorshift64 seeded by the line number.

Used by tests/integration/test_secret.py and bench/secret/run.sh:
  python3 tests/integration/secret_corpus.py OUTDIR   (writes OUTDIR/manifest.json)
"""

import json
import pathlib
import re
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "unit" / "secret" / "cases"
M64 = (1 << 64) - 1

CHARSETS = {
    "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "h": "0123456789abcdef",
    "H": "0123456789ABCDEF",
    "u": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "l": "abcdefghijklmnopqrstuvwxyz0123456789",
    "L": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "b": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "w": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
    "d": "0123456789",
    "U": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "x": "abcdefghijklmnopqrstuvwxyz",
}


def expand(text, lineno):
    """-> (bytes, secret) with secret the marked part or None."""
    rng = (0x9E3779B97F4A7C15 ^ (lineno * 0x100000001B3)) & M64
    out = []
    mark = [None, None]
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            out.append("\n" if n == "n" else "\t" if n == "t" else n)
            i += 2
        elif text.startswith("%%", i):
            i += 2
        elif c == "⟦":
            mark[0] = len("".join(out))
            i += 1
        elif c == "⟧":
            mark[1] = len("".join(out))
            i += 1
        else:
            m = re.match(r"\{\{([a-zA-Z])(\d+)\}\}", text[i:])
            if m and m.group(1) in CHARSETS:
                cs = CHARSETS[m.group(1)]
                for _ in range(int(m.group(2))):
                    rng ^= (rng << 13) & M64
                    rng ^= rng >> 7
                    rng ^= (rng << 17) & M64
                    out.append(cs[rng % len(cs)])
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
    s = "".join(out)
    secret = s[mark[0]:mark[1]] if mark[0] is not None else None
    return s.encode(), secret


def cases():
    for f in sorted(CASES.glob("*.cases")):
        for lineno, line in enumerate(f.read_text().splitlines(), 1):
            if len(line) < 2 or line[0] not in "+-" or line[1] != " ":
                continue
            rule, _, text = line[2:].partition(" ")
            path = None
            if text.startswith("@"):
                path, _, text = text[1:].partition(" ")
            yield f.stem, lineno, line[0] == "+", rule, path, text


def write(outdir):
    outdir = pathlib.Path(outdir)
    manifest = []
    for family, lineno, positive, rule, path, text in cases():
        data, secret = expand(text, lineno)
        kind = "pos" if positive else "neg"
        name = f"{family}-{lineno}"
        if path:
            rel = pathlib.Path(kind) / name / path.lstrip("/")
        else:
            rel = pathlib.Path(kind) / f"{name}.txt"
        dest = outdir / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        manifest.append({"path": "/" + str(rel), "rule": rule, "positive": positive,
                         "case": f"{family}.cases:{lineno}", "secret": secret})
    (outdir / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


if __name__ == "__main__":
    m = write(sys.argv[1])
    print(f"{len(m)} cases written to {sys.argv[1]}")
