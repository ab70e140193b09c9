#!/usr/bin/env python3
"""Check by machine what src/core/banned.h asks (scripts/test.sh runs it).

1. No banned function is called in the C code of src/, tests/ and bench/: the
   names are read from banned.h itself (every `#define NAME(...) BANNED(NAME)`),
   comments and string literals are ignored. `(name)(args)` is no macro call and
   is left alone: tests/unit/core uses it to ask the C library as an oracle.
2. banned.h comes after every system header, or a system header read after it
   can define a banned name again (<ctype.h> does) or break on it:
   - in every src/ .c and .h file, no `#include <...>` follows the file's first
     `#include "..."`;
   - following the project headers a src/ .c file includes, no system header
     that was not included before is reached once core/banned.h has been.

Prints one line per violation (file:line: what) and exits 1 when there is any.
    scripts/check-banned.py [--root DIR]
"""
import argparse
import pathlib
import re
import sys

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"]')


def strip_c(text):
    """Comments, string and character literals blanked; newlines kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + (text[j - 1] if j - 1 > i else ""))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def banned_names(banned_h):
    text = banned_h.read_text()
    return sorted(set(re.findall(r"^#define (\w+)\([^)]*\)\s+BANNED\(\1\)", text, re.M)))


def includes(path):
    """[(line, system?, name)] of a file."""
    out = []
    for no, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        m = INCLUDE.match(line)
        if m:
            out.append((no, m.group(1) == "<", m.group(2)))
    return out


def resolve(src, frm, name):
    for base in (frm.parent, src):
        p = base / name
        if p.is_file():
            return p.resolve()
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=pathlib.Path(__file__).resolve().parents[1], type=pathlib.Path)
    root = ap.parse_args().root.resolve()
    src = root / "src"
    banned_h = (src / "core/banned.h").resolve()
    names = banned_names(banned_h)
    if not names:
        print(f"{banned_h}: no banned names found", file=sys.stderr)
        return 1
    call = re.compile(r"(?<![\w.>])(" + "|".join(names) + r")\s*\(")
    problems = []

    def rel(p):
        return str(pathlib.Path(p).relative_to(root))

    # 1. banned calls
    files = [p for d in ("src", "tests", "bench") for p in sorted((root / d).rglob("*")) if p.suffix in (".c", ".h")]
    for p in files:
        if p.resolve() == banned_h:
            continue
        text = strip_c(p.read_text(errors="replace"))
        for no, line in enumerate(text.splitlines(), 1):
            for m in call.finditer(line):
                problems.append(f"{rel(p)}:{no}: calls {m.group(1)}(), banned by src/core/banned.h")

    # 2a. per file: system headers first
    src_files = [p for p in sorted(src.rglob("*")) if p.suffix in (".c", ".h")]
    for p in src_files:
        first_project = None
        for no, system, name in includes(p):
            if not system and first_project is None:
                first_project = (no, name)
            elif system and first_project:
                problems.append(f"{rel(p)}:{no}: <{name}> after \"{first_project[1]}\" (line "
                                f"{first_project[0]}): system headers go first")

    # 2b. per translation unit: nothing new from the system once banned.h is in
    for p in src_files:
        if p.suffix != ".c":
            continue
        seen_sys, seen_proj = set(), set()
        state = {"banned": None}

        def walk(f, chain):
            for no, system, name in includes(f):
                if system:
                    if name not in seen_sys and state["banned"]:
                        where = " via ".join(reversed(chain + [f"{rel(f)}:{no}"]))
                        problems.append(f"{rel(p)}: <{name}> ({where}) is read after src/core/banned.h "
                                        f"({state['banned']})")
                    seen_sys.add(name)
                    continue
                q = resolve(src, f, name)
                if q is None or q in seen_proj:
                    continue
                seen_proj.add(q)
                if q == banned_h:
                    state["banned"] = state["banned"] or f"{rel(f)}:{no}"
                    continue
                walk(q, chain + [f"{rel(f)}:{no}"])

        walk(p.resolve(), [])

    for line in problems:
        print(line)
    print(f"check-banned: {len(names)} banned names, {len(files)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
