#!/usr/bin/env python3
"""Hostile inputs sized to take time (issue 18): the inputs the integration tests of
tests/integration/test_hostile_time.py guard with a hang timeout, timed here so the
figures are recorded, not asserted. Prints a Markdown table for bench/RESULTS.md
("## Hostile inputs").

    python3 bench/hostile/run.py [BULWARK] [CASE...]     (default build/src/cli/bulwark)

Each case is generated into a temporary directory (the same generators as the tests),
then run RUNS times (env BENCH_RUNS, default 3); the median wall time and the peak RSS
(ru_maxrss of the child) are reported.
"""
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration"))

import hostilegen  # noqa: E402


def case_deep_paths(tmp):
    d = hostilegen.deep_paths_layout(tmp / "deep", n_files=40000, depth=2040)
    return "40,000 files 2,040 directories deep (1.7 MB gzip layer)", ["image", "inspect", "-f", "json", f"oci:{d}"], {}


def case_vex_refs(tmp):
    vex = tmp / "vex.json"
    vex.write_text(hostilegen.cyclonedx_vex_many_refs(80000))
    (tmp / "Dockerfile").write_text("FROM scratch\n")
    return ("CycloneDX VEX, 80,000 components and vulnerabilities (11 MB)",
            ["lint", "-f", "json", "--vex", str(vex), str(tmp / "Dockerfile")], {})


def case_osv_aliases(tmp):
    d = tmp / "osv"
    d.mkdir()
    (d / "a.json").write_text(hostilegen.osv_many_aliases(150000, repeat=2))
    return ("one OSV record, 150,000 aliases listed twice (6 MB)",
            ["db", "import", "--db", str(tmp / "v.db"), str(d)], {})


def case_empty_env(tmp):
    from imagegen import E, OciImage, layer_tar
    img = OciImage([layer_tar([E("etc/", "dir")])], config={"Env": [""] * 1390000})
    d = img.write_dir(tmp / "oci")
    return ("image configuration with 1,390,000 empty Env strings (4 MiB)",
            ["image", "--scanners", "secret", "-f", "json", f"oci:{d}"], {})


CASES = {"deep-paths": case_deep_paths, "vex-refs": case_vex_refs, "osv-aliases": case_osv_aliases,
         "empty-env": case_empty_env}


def run(bulwark, args, env, runs):
    times, rss = [], []
    for _ in range(runs):
        t0 = time.monotonic()
        p = subprocess.Popen([bulwark] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=dict(os.environ, **env))
        _, status, ru = os.wait4(p.pid, 0)
        times.append(time.monotonic() - t0)
        rss.append(ru.ru_maxrss / 1024)
        rc = os.waitstatus_to_exitcode(status)
    return statistics.median(times), max(rss), rc


def main():
    bulwark = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "build/src/cli/bulwark")
    names = sys.argv[2:] or list(CASES)
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    print("| case | command | exit | wall (median of %d) | peak RSS |" % runs)
    print("|---|---|---|---|---|")
    for name in names:
        with tempfile.TemporaryDirectory() as t:
            tmp = pathlib.Path(t)
            what, args, env = CASES[name](tmp)
            wall, rss, rc = run(bulwark, args, env, runs)
            cmd = " ".join(a if not a.startswith(str(tmp)) and str(tmp) not in a else a.replace(str(tmp), "T")
                           for a in args)
            print(f"| {what} | `bulwark {cmd}` | {rc} | {wall:.2f} s | {rss:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
