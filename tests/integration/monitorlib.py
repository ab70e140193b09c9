"""Helpers of the runtime monitor's tests (test_monitor*.py).

  needs_kernel_monitor(bulwark)  skip with the reason when this machine cannot run the eBPF
                                 source (not root, no BTF, a build without it)
  probe_binary(tmp_dir)          tests/integration/monitor/probe.c built static (each of its
                                 subcommands does one thing a rule watches for)
  Monitor(bulwark, args, tmp)    `bulwark monitor ARGS --containers-only` running in the
                                 background, its JSON lines read as they come:
                                 .wait_ready(), .alerts(**filters), .wait_alert(what, **filters),
                                 .stats(), .signal(sig), .stop() -> exit code (SIGINT),
                                 .stop_when_done() -> exit code (a bounded run)
  unique(name)                   a name no other run uses (containers, networks)
  monitor_image                  (session fixture; import it into the test module) a small
                                 image for the scenarios: tiny:1's static busybox with its
                                 applets, plus what the rules look at (/etc/shadow, users,
                                 /var/log, /usr/bin/apt-get): a container of it starts in a
                                 fraction of a Debian one's time on the vfs storage driver
  run_all(fn, items, workers=4)  fn over items, `workers` at a time (containers started
                                 together each get their alert since a cgroup not named yet
                                 is no longer taken for the host's for good)

Tests never assert on time: waits have a generous hang guard only. The machine has
background exec noise, so every assertion filters on the test's own containers.
"""

import concurrent.futures
import io
import json
import os
import pathlib
import signal
import subprocess
import tarfile
import tempfile
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
PROBE_SRC = HERE / "monitor" / "probe.c"
FALCO_RULES = HERE / "monitor" / "falco_rules.yaml"
HANG_GUARD = 300  # seconds: a hang, not a speed limit


def unique(name):
    return f"bwmon{os.getpid()}-{name}"


MONITOR_IMAGE = "bwtest/monitor-scenario:1"
MONITOR_IMAGE_LABEL = "monitor-scenario-v1"


@pytest.fixture(scope="session")
def monitor_image(docker, tiny_image):
    try:
        labels = (docker.inspect(MONITOR_IMAGE).get("Config") or {}).get("Labels") or {}
    except AssertionError:
        labels = {}
    if labels.get("org.bulwark.test-fixture") == MONITOR_IMAGE_LABEL:
        return MONITOR_IMAGE
    busybox = "/bin/busybox"
    applets = subprocess.run([busybox, "--list"], stdout=subprocess.PIPE, text=True, check=True).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        tar_path = os.path.join(tmp, "scenario.tar")
        with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as t:
            def add(name, type_, mode, data=b"", link=""):
                ti = tarfile.TarInfo(name)
                ti.type, ti.mode, ti.uid, ti.gid, ti.mtime = type_, mode, 0, 0, 1700000000
                ti.linkname = link
                if type_ == tarfile.REGTYPE:
                    ti.size = len(data)
                    t.addfile(ti, io.BytesIO(data))
                else:
                    t.addfile(ti)

            for d, m in (("bin", 0o755), ("etc", 0o755), ("tmp", 0o1777), ("root", 0o700), ("usr", 0o755),
                         ("usr/bin", 0o755), ("var", 0o755), ("var/log", 0o755), ("home", 0o755)):
                add(d, tarfile.DIRTYPE, m)
            add("bin/busybox", tarfile.REGTYPE, 0o755, open(busybox, "rb").read())
            for a in applets:
                if a != "busybox":
                    add("bin/" + a, tarfile.SYMTYPE, 0o777, link="busybox")
            # a package manager's name is enough for the rules (busybox answers "applet not found")
            add("usr/bin/apt-get", tarfile.SYMTYPE, 0o777, link="/bin/busybox")
            add("etc/passwd", tarfile.REGTYPE, 0o644,
                b"root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                b"nobody:x:65534:65534:nobody:/nonexistent:/bin/false\nuser:x:1000:1000::/home:/bin/sh\n")
            add("etc/group", tarfile.REGTYPE, 0o644, b"root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\nuser:x:1000:\n")
            add("etc/shadow", tarfile.REGTYPE, 0o640, b"root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n")
            add("etc/os-release", tarfile.REGTYPE, 0o644, b"ID=busybox\n")
        docker.cli("import", "-c", f"LABEL org.bulwark.test-fixture={MONITOR_IMAGE_LABEL}", "-c", 'CMD ["/bin/sh"]',
                   tar_path, MONITOR_IMAGE)
    return MONITOR_IMAGE


def run_all(fn, items, workers=4):
    """fn(item) for every item, `workers` at a time; the first exception is raised."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        for f in [pool.submit(fn, it) for it in items]:
            f.result()


def needs_kernel_monitor(bulwark):
    if os.geteuid() != 0:
        pytest.skip("the eBPF event source needs root (CAP_BPF and CAP_PERFMON)")
    if not os.path.exists("/sys/kernel/btf/vmlinux"):
        pytest.skip("this kernel has no BTF (/sys/kernel/btf/vmlinux): CO-RE eBPF cannot load")
    rc, out, err = bulwark.run(["monitor", "--max-events", "1", "--duration", "1", "--quiet", "--rules",
                                str(HERE / "monitor" / "empty_rules.yaml")], timeout=HANG_GUARD)
    if rc == 3 and "built without the eBPF event source" in err:
        pytest.skip(err.strip())


def probe_binary(tmp_dir):
    out = pathlib.Path(tmp_dir) / "probe"
    if not out.exists():
        subprocess.run(["gcc", "-static", "-O1", "-Wall", "-o", str(out), str(PROBE_SRC)], check=True)
    return out


class Monitor:
    def __init__(self, bulwark, args, tmp, containers_only=True, env=None):
        self.tmp = pathlib.Path(tmp)
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.out_path = self.tmp / "alerts.jsonl"
        self.err_path = self.tmp / "stderr.txt"
        argv = [str(bulwark.path), "monitor"] + [str(a) for a in args]
        if containers_only:
            argv.append("--containers-only")
        self.argv = argv
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        self._out = open(self.out_path, "wb")
        self._err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=self._out, stderr=self._err, env=full_env)
        self.rc = None

    def stderr(self):
        return self.err_path.read_text(errors="replace")

    def lines(self):
        out = []
        data = self.out_path.read_bytes()
        for raw in data.split(b"\n")[:-1]:  # the last piece may be half written
            if raw.strip():
                out.append(json.loads(raw))
        return out

    def wait_ready(self):
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline:
            if "monitoring with" in self.stderr():
                return self
            if self.proc.poll() is not None:
                err = self.stderr()
                if "built without the eBPF event source" in err:
                    pytest.skip(err.strip())
                raise AssertionError(f"bulwark monitor exited {self.proc.returncode} before it was ready:\n{err}")
            time.sleep(0.2)
        raise AssertionError(f"bulwark monitor not ready after {HANG_GUARD} s (hang guard):\n{self.stderr()}")

    @staticmethod
    def _match(a, container=None, rule=None, id=None, type="alert", where=None):
        if type and a.get("type") != type:
            return False
        if container is not None and (a.get("container") or {}).get("name") != container:
            return False
        if rule is not None and a.get("rule") != rule:
            return False
        if id is not None and a.get("id") != id:
            return False
        # last: the predicate may assume what the filters above decided (the rule's fields)
        return where is None or bool(where(a))

    def alerts(self, **filters):
        return [a for a in self.lines() if self._match(a, **filters)]

    def wait_alert(self, **filters):
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline:
            found = self.alerts(**filters)
            if found:
                return found[0]
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        seen = [(a.get("rule"), (a.get("container") or {}).get("name")) for a in self.alerts()]
        raise AssertionError(f"no alert {filters}; monitor exit {self.proc.poll()}; alerts seen: {seen[-40:]}\n"
                             f"stderr:\n{self.stderr()[-3000:]}")

    def stats(self):
        return [a for a in self.lines() if a.get("type") == "stats"]

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop_when_done(self):
        """Wait for a bounded run (--duration, --for, --max-events) to end by itself."""
        try:
            self.rc = self.proc.wait(timeout=HANG_GUARD)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"bulwark monitor did not end (hang guard):\n{self.stderr()[-3000:]}")
        finally:
            self._out.close()
            self._err.close()
        return self.rc

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            self.rc = self.proc.wait(timeout=HANG_GUARD)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"bulwark monitor did not stop on SIGINT (hang guard):\n{self.stderr()[-3000:]}")
        finally:
            self._out.close()
            self._err.close()
        return self.rc


# The live monitor suites (kernel events from real containers) wait on alerts the monitor
# gives after reading each container's image; on a loaded machine that took minutes and
# one of them did not come (under investigation: decode errors when several containers
# start at once). Until they are fast and sure they run with BW_LONG=1 or BW_MONITOR_LIVE=1,
# not in every CI run; the rule compiler (test_monitor_rules.py) and the unit suites do.
live_suite = pytest.mark.skipif(
    os.environ.get("BW_LONG") != "1" and os.environ.get("BW_MONITOR_LIVE") != "1",
    reason="live monitor suites: BW_LONG=1 or BW_MONITOR_LIVE=1 runs them")
