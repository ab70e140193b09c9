#!/usr/bin/env python3
"""The runtime monitor's overhead (issue 16, bench/monitor): the same workloads with no
tracer, under `bulwark monitor` (the default rules, host events included, alerts to a
file) and under Debian's bpftrace counting the same kernel hooks (every syscall exit,
sched exec/fork/exit), interleaved round by round so machine load hits all alike.

Workloads: an exec loop (fork + exec /bin/true), an open/close loop, dd through the page
cache (4 KiB blocks from a cached file into another), and a C project compile (src/core
and src/version of this tree, gcc -O1, one file after the other). Then an event-rate
run: the open loop under `bulwark monitor --all-opens` (every open recorded), events per
second the kernel side handed over and the drops it counted. Peak RSS of the tracers
from /proc/PID/status (VmHWM) before they stop.

    bench/monitor/run.sh [BULWARK] [ROUNDS] [PREVIOUS]   (root; default build/src/cli/bulwark, 3)

PREVIOUS, another bulwark binary, runs in its own column (a build of the previous commit,
to see a change side by side). Prints Markdown tables: medians of the workload's CPU time
(user + system of the workload's processes: what the hooks add to them, and the measure that
a loaded machine disturbs least) and of wall time, ratios to no tracer, tracer CPU and RSS.
"""
import json
import os
import pathlib
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
BPFTRACE_PROG = ("tracepoint:raw_syscalls:sys_exit, tracepoint:sched:sched_process_exec, "
                 "tracepoint:sched:sched_process_fork, tracepoint:sched:sched_process_exit "
                 "{ @[probe] = count(); }")


def cpu_of(pid):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def hwm_of(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Tracer:
    def __init__(self, kind, bulwark, work, extra=()):
        self.kind, self.work = kind, work
        self.out = work / f"{kind}.out"
        self.err = work / f"{kind}.err"
        if kind == "off":
            self.proc = None
            return
        if kind in ("bulwark", "previous"):
            argv = [bulwark, "monitor", "--output", str(self.out), "--stats-interval", "1h", *extra]
        else:
            argv = ["bpftrace", "-e", BPFTRACE_PROG]
        self.proc = subprocess.Popen(argv, stdout=open(self.out if kind == "bpftrace" else os.devnull, "w"),
                                     stderr=open(self.err, "w"))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = (self.err.read_text(errors="replace") if kind != "bpftrace"
                    else self.out.read_text(errors="replace"))
            if ("monitoring with" in text) if kind != "bpftrace" else ("Attaching" in text):
                time.sleep(0.5)
                return
            if self.proc.poll() is not None:
                sys.exit(f"{kind} exited {self.proc.returncode}: {self.err.read_text(errors='replace')}")
            time.sleep(0.1)
        sys.exit(f"{kind} did not start")

    def stop(self):
        if not self.proc:
            return {}
        info = {"cpu": cpu_of(self.proc.pid), "rss_mib": hwm_of(self.proc.pid)}
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=120)
        if self.kind != "bpftrace":
            stats = [json.loads(l) for l in self.out.read_text().splitlines() if '"type":"stats"' in l.replace(" ", "")]
            if stats:
                info.update(events=stats[-1]["events_kernel"], drops=stats[-1]["drops"])
        return info


def timed(argv, cwd=None):
    t0 = time.monotonic()
    r0 = os.times()
    subprocess.run(argv, check=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    r1 = os.times()
    return time.monotonic() - t0, (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)


def main():
    bulwark = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build/src/cli/bulwark")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    previous = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else None
    have_bpftrace = shutil.which("bpftrace") is not None
    work = pathlib.Path(tempfile.mkdtemp(prefix="bw-bench-monitor-"))
    try:
        loops = work / "loops"
        subprocess.run(["gcc", "-O2", "-o", loops, ROOT / "bench/monitor/loops.c"], check=True)
        data = work / "data"
        subprocess.run(["dd", "if=/dev/zero", f"of={data}", "bs=1M", "count=128", "status=none"], check=True)
        subprocess.run(["cat", data], check=True, stdout=subprocess.DEVNULL)
        sources = sorted(str(p) for d in ("src/core", "src/version") for p in (ROOT / d).glob("*.c"))
        objdir = work / "obj"
        objdir.mkdir()
        compile_sh = work / "compile.sh"
        compile_sh.write_text("set -e\n" + "".join(
            f"gcc -std=c17 -D_GNU_SOURCE -O1 -I{ROOT}/src -c {s} -o {objdir}/{i}.o\n" for i, s in enumerate(sources)))
        workloads = {
            "exec loop (5,000 × fork+exec /bin/true)": [str(loops), "exec", "5000"],
            "open/close loop (1,000,000 × /etc/hostname)": [str(loops), "open", "1000000"],
            "dd through the page cache (128 MiB, 4 KiB blocks)": [
                "dd", f"if={data}", f"of={work}/copy", "bs=4k", "status=none"],
            f"C compile ({len(sources)} files of src/core, src/version; gcc -O1)": ["sh", str(compile_sh)],
        }
        kinds = ["off", "bulwark"] + (["previous"] if previous else []) + (["bpftrace"] if have_bpftrace else [])
        wall = {(k, w): [] for k in kinds for w in workloads}
        cpu = {(k, w): [] for k in kinds for w in workloads}
        tracer = {k: [] for k in kinds}
        for r in range(rounds):
            for k in kinds:
                t = Tracer(k, previous if k == "previous" else bulwark, work)
                for w, argv in workloads.items():
                    s, c = timed(argv)
                    wall[(k, w)].append(s)
                    cpu[(k, w)].append(c)
                tracer[k].append(t.stop())
                print(f"round {r + 1} {k}: " + ", ".join(f"{statistics.median(wall[(k, w)]):.2f}s"
                                                      for w in workloads), file=sys.stderr)
        # event rate: every open recorded
        rate = []
        for r in range(rounds):
            t = Tracer("bulwark", bulwark, work, extra=["--all-opens"])
            before = time.monotonic()
            timed([str(loops), "open", "3000000"])
            secs = time.monotonic() - before
            info = t.stop()
            rate.append((info.get("events", 0) / secs, info.get("drops", 0), info.get("rss_mib", 0), secs))

        med = statistics.median
        names = {"bulwark": "bulwark monitor", "previous": "previous bulwark",
                 "bpftrace": "bpftrace (same hooks, counting)"}
        for title, table in (("CPU time of the workload (user + system)", cpu), ("wall time", wall)):
            print(f"\n{title}, median of {rounds} round(s):\n")
            print("| workload | no tracer | " + " | ".join(f"{names[k]} | ratio" for k in kinds[1:]) + " |")
            print("|---|---:|" + "---:|---:|" * (len(kinds) - 1))
            for w in workloads:
                off = med(table[("off", w)])
                row = f"| {w} | {off:.2f} s |"
                for k in kinds[1:]:
                    on = med(table[(k, w)])
                    row += f" {on:.2f} s | {on / off:.3f} |" if off > 0 else f" {on:.2f} s | — |"
                print(row)
        print()
        for k in kinds[1:]:
            print(f"\n{k}: tracer CPU per round (median) {med(x['cpu'] for x in tracer[k]):.2f} s, "
                  f"peak RSS (max) {max(x['rss_mib'] for x in tracer[k]):.1f} MiB"
                  + (f", kernel-side drops {sum(x.get('drops', 0) for x in tracer[k])}" if k != "bpftrace" else ""))
        print("\nevent rate (open loop, 3,000,000 opens, --all-opens): " + "; ".join(
            f"{ev / 1000:.0f}k events/s over {secs:.1f} s, {drops} drops, {rss:.1f} MiB" for ev, drops, rss, secs in rate))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
