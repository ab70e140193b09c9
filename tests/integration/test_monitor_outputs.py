"""bulwark monitor's outputs and run control: a file rotated by size, a webhook that
fails and is retried, per-rule rate limits, counters, bounded runs, and SIGHUP reloading
the rules while events keep coming."""

import http.server
import json
import signal
import threading
import time

import pytest

from monitorlib import HANG_GUARD, Monitor, monitor_image, needs_kernel_monitor, unique, live_suite  # noqa: F401 (a fixture)

pytestmark = live_suite


@pytest.fixture(scope="module")
def kernel(bulwark):
    needs_kernel_monitor(bulwark)


def shadow_reader(docker, image, name, times=1):
    cmd = "cat /etc/shadow > /dev/null" if times == 1 else \
        f"for i in $(seq 1 {times}); do cat /etc/shadow > /dev/null; done"
    docker.cli("run", "--rm", "--network", "none", "--name", name, image, "sh", "-c", cmd, input="")


def test_output_file_rotated_by_size(bulwark, kernel, docker, monitor_image, tmp_path):
    out = tmp_path / "alerts.jsonl"
    name = unique("rotate")
    m = Monitor(bulwark, ["--output", out, "--rotate-size", "4K", "--rotate-keep", "2"], tmp_path / "m")
    m.wait_ready()
    try:
        shadow_reader(docker, monitor_image, name, times=30)
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline:
            lines = []
            for f in (out, tmp_path / "alerts.jsonl.1", tmp_path / "alerts.jsonl.2"):
                if f.exists():
                    lines += [json.loads(l) for l in f.read_text().splitlines() if l.strip()]
            if (tmp_path / "alerts.jsonl.2").exists() and any(
                    (a.get("container") or {}).get("name") == name for a in lines):
                break
            time.sleep(0.2)
    finally:
        assert m.stop() == 0
    assert (tmp_path / "alerts.jsonl.1").exists() and (tmp_path / "alerts.jsonl.2").exists()
    assert not (tmp_path / "alerts.jsonl.3").exists(), "--rotate-keep 2 keeps two"
    for f in (out, tmp_path / "alerts.jsonl.1", tmp_path / "alerts.jsonl.2"):
        assert f.stat().st_size <= 4096 + 4096  # a line is never split across files
        for line in f.read_text().splitlines():
            json.loads(line)
    assert m.lines() == [], "with --output, nothing goes to standard output"


class Hook(http.server.BaseHTTPRequestHandler):
    received = []
    failures_left = 1

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if Hook.failures_left > 0:
            Hook.failures_left -= 1
            self.send_response(500)
            self.end_headers()
            return
        Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *a):
        pass


def test_webhook_with_retries(bulwark, kernel, docker, monitor_image, tmp_path):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    name = unique("webhook")
    url = f"http://127.0.0.1:{srv.server_address[1]}/alerts"
    m = Monitor(bulwark, ["--webhook", url, "--webhook-retries", "3", "--stdout"], tmp_path / "m")
    try:
        m.wait_ready()
        shadow_reader(docker, monitor_image, name)
        m.wait_alert(container=name, id="BW-RT-012")
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline and not any(
                (a.get("container") or {}).get("name") == name for a in Hook.received):
            time.sleep(0.2)
    finally:
        rc = m.stop()
        srv.shutdown()
    assert rc == 0
    got = [a for a in Hook.received if (a.get("container") or {}).get("name") == name]
    assert got and got[0]["id"] == "BW-RT-012" and got[0]["kind"] == "runtime"
    assert Hook.failures_left == 0, "the first POST failed and was retried"
    final = m.stats()[-1]
    assert final["webhook"]["sent"] >= 1


def test_rate_limit_per_rule(bulwark, kernel, docker, monitor_image, tmp_path):
    name = unique("ratelimit")
    m = Monitor(bulwark, ["--rate-limit", "0.1", "--rate-burst", "3"], tmp_path / "m")
    m.wait_ready()
    try:
        shadow_reader(docker, monitor_image, name, times=40)
        m.wait_alert(container=name, id="BW-RT-012")
    finally:
        assert m.stop() == 0
    got = m.alerts(container=name, id="BW-RT-012")
    assert 1 <= len(got) < 40
    assert m.stats()[-1]["rate_limited"] >= 40 - len(got) - 1


def test_counters_every_interval_and_at_exit(bulwark, kernel, tmp_path):
    m = Monitor(bulwark, ["--stats-interval", "1s", "--duration", "4s"], tmp_path / "m")
    m.wait_ready()
    assert m.stop_when_done() == 0
    stats = m.stats()
    assert len(stats) >= 2
    assert [s["final"] for s in stats].count(True) == 1 and stats[-1]["final"] is True
    for s in stats:
        for k in ("events", "events_kernel", "drops", "drops_per_cpu", "filtered_in_kernel", "alerts"):
            assert k in s
    assert "events," in m.stderr() and "dropped by the kernel" in m.stderr()


def test_max_events_ends_the_run(bulwark, kernel, docker, monitor_image, tmp_path):
    m = Monitor(bulwark, ["--max-events", "5"], tmp_path / "m")
    m.wait_ready()
    docker.cli("run", "--rm", "--network", "none", "--name", unique("maxevents"), monitor_image, "sh", "-c",
               "ls /; ls /; ls /", input="")
    assert m.stop_when_done() == 0
    assert m.stats()[-1]["events"] == 5


def test_table_format(bulwark, kernel, docker, monitor_image, tmp_path):
    name = unique("table")
    m = Monitor(bulwark, ["--format", "table"], tmp_path / "m")
    m.wait_ready()
    try:
        shadow_reader(docker, monitor_image, name)
        deadline = time.monotonic() + HANG_GUARD
        while time.monotonic() < deadline and name not in m.out_path.read_text():
            time.sleep(0.2)
    finally:
        m.stop()
    line = [l for l in m.out_path.read_text().splitlines() if name in l][0]
    assert " WARNING Sensitive file read in container: Sensitive file opened for reading" in line


def test_sighup_reloads_rules_without_losing_events(bulwark, kernel, docker, monitor_image, tmp_path):
    rules = tmp_path / "rules.yaml"
    alpha = """- rule: alpha
  desc: a
  condition: evt.type in (open, openat) and fd.name = /etc/shadow and container.id != host
  output: alpha %proc.name
  priority: WARNING
"""
    beta = """- rule: beta
  desc: b
  condition: evt.type = execve and proc.name = whoami and container.id != host
  output: beta %proc.name
  priority: NOTICE
"""
    rules.write_text(alpha)
    n1, n2, n3 = unique("hup1"), unique("hup2"), unique("hup3")
    m = Monitor(bulwark, ["--rules", rules], tmp_path / "m")
    m.wait_ready()
    try:
        shadow_reader(docker, monitor_image, n1)
        m.wait_alert(container=n1, rule="alpha")
        rules.write_text(alpha + beta)
        m.signal(signal.SIGHUP)
        deadline = time.monotonic() + HANG_GUARD
        while "rules reloaded" not in m.stderr() and time.monotonic() < deadline:
            time.sleep(0.1)
        # (by its path: busybox's shell runs a bare "whoami" without an exec)
        docker.cli("run", "--rm", "--network", "none", "--name", n2, monitor_image, "sh", "-c",
                   "/bin/whoami; cat /etc/shadow > /dev/null", input="")
        m.wait_alert(container=n2, rule="beta")
        m.wait_alert(container=n2, rule="alpha")
        # a broken file is refused; the rules in force stay
        rules.write_text("- rule: [broken\n")
        m.signal(signal.SIGHUP)
        while "rules not reloaded" not in m.stderr() and time.monotonic() < deadline:
            time.sleep(0.1)
        docker.cli("run", "--rm", "--network", "none", "--name", n3, monitor_image, "whoami", input="")
        m.wait_alert(container=n3, rule="beta")
    finally:
        assert m.stop() == 0
    assert "rules not reloaded, the old ones stay" in m.stderr()
    final = m.stats()[-1]
    # the ring buffer and its programs stayed in place: nothing dropped or garbled
    assert final["drops"] == 0 and final["decode_errors"] == 0


def test_syslog_output_runs(bulwark, kernel, docker, monitor_image, tmp_path):
    name = unique("syslog")
    m = Monitor(bulwark, ["--syslog", "--stdout"], tmp_path / "m")
    m.wait_ready()
    try:
        shadow_reader(docker, monitor_image, name)
        m.wait_alert(container=name, id="BW-RT-012")
    finally:
        assert m.stop() == 0
