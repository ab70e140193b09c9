"""Results of scripts/test.sh's test runs, read from the files the runners write:
meson's testlog.json (unit tests, cmocka programs) and pytest's junit XML
(integration tests).

  testresults.py unit TESTLOG.json OUTDIR
  testresults.py integration JUNIT.xml OUTDIR
      Print "passed failed skipped", then the name of each failed test, one a line;
      write the captured output of each failed test to OUTDIR/<kind>-NNN.txt (its
      first line names the test), for scripts/test.sh to print at the end.

  testresults.py required LIST TESTLOG.json JUNIT.xml
      Print one line for each suite of LIST (tests/required-suites.txt) that ran no
      test — every test skipped, or none at all — naming the suite and why; then a
      line "note: …" for each suite that ran but is not listed at all (the list is
      kept whole by hand: a new suite is added as required, or as optional).
"""

import json
import os
import re
import sys
import xml.etree.ElementTree as ET

TAIL = 200  # lines of captured output kept per failed test


def tail(text, n=TAIL):
    lines = (text or "").rstrip("\n").split("\n")
    if len(lines) > n:
        lines = [f"[... {len(lines) - n} earlier lines left out ...]"] + lines[-n:]
    return "\n".join(lines)


def unit_tests(path):
    tests = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line:
                tests.append(json.loads(line))
    return tests


def cmocka_counts(output):
    """(run, passed, skipped, skip reasons) from a cmocka program's output."""
    run = sum(int(m) for m in re.findall(r"^\[==========\] (\d+) test\(s\) run\.", output, re.M))
    passed = sum(int(m) for m in re.findall(r"^\[  PASSED  \] (\d+) test\(s\)\.", output, re.M))
    skipped = sum(int(m) for m in re.findall(r"^\[  SKIPPED \] (\d+) test\(s\), listed below:", output, re.M))
    reasons, prev = [], None
    for line in output.split("\n"):
        if re.match(r"^\[  SKIPPED \] \w+$", line) and prev and not prev.startswith("["):
            reasons.append(prev.strip())
        prev = line
    return run, passed, skipped, reasons


def unit(path, outdir):
    p = f = s = 0
    failed = []
    for t in unit_tests(path):
        r = t.get("result", "")
        if r in ("OK", "EXPECTEDFAIL"):
            p += 1
        elif r == "SKIP":
            s += 1
        else:
            f += 1
            name = f"{t.get('name', '?')} ({r})"
            failed.append(name)
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            write_failure(outdir, "unit", len(failed), name, " ".join(t.get("command") or []), out)
    print(p, f, s)
    for name in failed:
        print(name)


def junit_cases(path):
    return list(ET.parse(path).getroot().iter("testcase"))


def integration(path, outdir):
    p = f = s = 0
    failed = []
    for case in junit_cases(path):
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        if bad is not None:
            f += 1
            name = case.get("classname", "") + "::" + case.get("name", "")
            failed.append(name)
            text = bad.text or bad.get("message", "")
            for stream in ("system-out", "system-err"):
                e = case.find(stream)
                if e is not None and (e.text or "").strip():
                    text += f"\n--- captured {stream[7:]} ---\n" + e.text
            write_failure(outdir, "integration", len(failed), name, bad.get("message", ""), text)
        elif case.find("skipped") is not None:
            s += 1
        else:
            p += 1
    print(p, f, s)
    for name in failed:
        print(name)


def write_failure(outdir, kind, n, name, subtitle, text):
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, f"{kind}-{n:03d}.txt"), "w", encoding="utf-8", errors="replace") as f:
        f.write(f"=== {kind} {name}\n")
        if subtitle:
            f.write(f"{subtitle.strip()[:500]}\n")
        f.write(tail(text) + "\n")


def reasons_text(reasons):
    uniq = list(dict.fromkeys(r for r in reasons if r))
    if not uniq:
        return "no reason given"
    shown = "; ".join(r[:160] for r in uniq[:3])
    return shown + (f" (+{len(uniq) - 3} more)" if len(uniq) > 3 else "")


def required(listpath, testlog, junit):
    suites, optional = [], []
    with open(listpath, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            opt = line.startswith("optional ")
            kind, _, name = line[9:].strip().partition(" ") if opt else line.partition(" ")
            if kind not in ("unit", "integration") or not name.strip():
                print(f"{listpath}:{lineno}: want '[optional] unit NAME' or '[optional] integration FILE', "
                      f"got '{line}'")
                continue
            (optional if opt else suites).append((kind, name.strip()))

    units = {t.get("name"): t for t in unit_tests(testlog)} if os.path.exists(testlog) else {}
    cases = junit_cases(junit) if os.path.exists(junit) else []
    for kind, name in suites:
        if kind == "unit":
            t = units.get(name)
            if t is None:
                print(f"unit {name}: ran no test (not in {os.path.basename(testlog)}: not built, renamed or not run)")
                continue
            out = (t.get("stdout") or "") + (t.get("stderr") or "")
            if t.get("result") == "SKIP":
                print(f"unit {name}: skipped ({reasons_text([' / '.join(out.strip().split(chr(10))[-3:])])})")
                continue
            run, passed, skipped, why = cmocka_counts(out)
            if run and skipped >= run and passed == 0:
                print(f"unit {name}: all {run} tests skipped ({reasons_text(why)})")
        else:
            stem = os.path.splitext(os.path.basename(name))[0]
            mine = [c for c in cases if stem in (c.get("classname") or "").split(".")]
            if not mine:
                print(f"integration {name}: ran no test (collected nothing: missing, renamed, deselected or not run)")
                continue
            skips = [c.find("skipped") for c in mine]
            if all(s is not None for s in skips):
                why = reasons_text([s.get("message", "") for s in skips])
                print(f"integration {name}: all {len(mine)} tests skipped ({why})")

    listed = {name for kind, name in suites + optional}
    for name in sorted(units):
        if name not in listed:
            print(f"note: unit {name} is not in {listpath}")
    stems = {os.path.splitext(os.path.basename(n))[0] for k, n in suites + optional if k == "integration"}
    seen = {(c.get("classname") or "").split(".")[2] for c in cases
            if (c.get("classname") or "").startswith("tests.integration.")}
    for stem in sorted(seen - stems):
        print(f"note: integration tests/integration/{stem}.py is not in {listpath}")


def main(argv):
    if len(argv) == 4 and argv[1] == "unit":
        unit(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "integration":
        integration(argv[2], argv[3])
    elif len(argv) == 5 and argv[1] == "required":
        required(argv[2], argv[3], argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
