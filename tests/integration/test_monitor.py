"""bulwark monitor against the real kernel and engine: containers that each do one bad
thing, and the alert that names them.

One monitor runs Falco's own rules file (tests/integration/monitor/falco_rules.yaml,
unchanged from falcosecurity/rules) and one bulwark's default rules, for the whole module;
each scenario is one container with a name of its own, and each test waits for the
alert that carries that name (hang guard only). Rules this machine cannot feed are listed
with the reason, and the list is checked against the file so that none is forgotten.
"""

import json
import subprocess

import pytest

from monitorlib import FALCO_RULES, Monitor, monitor_image, needs_kernel_monitor, probe_binary, run_all, unique, live_suite  # noqa: F401 (a fixture)

pytestmark = live_suite

# Falco's rules and the container that does what each watches for. (docker run options,
# command) run in monitorlib's monitor_image (busybox) with /probe (tests/integration/monitor/probe.c, static)
# and /busybox (the host's static busybox) bind-mounted read-only.
FALCO_SCENARIOS = {
    "Terminal shell in container": (["-t"], ["sh", "-c", "true"]),
    "Read sensitive file untrusted": ([], ["cat", "/etc/shadow"]),
    "Read sensitive file trusted after startup": (
        [], ["sh", "-c", "cp /probe /tmp/nginx && /tmp/nginx late-read 6 /etc/shadow"]),
    "Directory traversal monitored file read": (["--entrypoint", "/probe"], ["read", "/usr/../../etc/passwd"]),
    "Run shell untrusted": ([], ["sh", "-c", "cp /probe /tmp/nginx && /tmp/nginx spawn-as 0 /bin/sh -c true"]),
    # user.name is read from the container's /etc/passwd through a live process of it: the
    # container stays a moment, however far behind the monitor is
    "System user interactive": (
        [], ["sh", "-c", "cp /probe /tmp/sshd && /tmp/sshd spawn-as 65534 /bin/true; sleep 5"]),
    "Netcat Remote Code Execution in Container": (
        [], ["sh", "-c", "ln -s /busybox /tmp/nc; /tmp/nc 127.0.0.1 9 -e /bin/true; true"]),
    "Search Private Keys or Passwords": ([], ["/probe", "spawn-as", "0", "/bin/grep", "BEGIN PRIVATE", "/etc/hostname"]),
    "Clear Log Activities": ([], ["sh", "-c", "echo x > /var/log/syslog"]),
    "Remove Bulk Data from Disk": ([], ["shred", "--help"]),
    "Create Symlink Over Sensitive Files": ([], ["ln", "-s", "/etc/shadow", "/tmp/s"]),
    "Create Hardlink Over Sensitive Files": ([], ["ln", "/etc/shadow", "/tmp/h"]),
    "Packet socket created in container": ([], ["/probe", "packet-socket"]),
    "Redirect STDOUT/STDIN to Network Connection in Container": ([], ["/probe", "dup-socket"]),
    "Linux Kernel Module Injection Detected": (["--cap-add", "SYS_MODULE"], ["/probe", "finit-module"]),
    "Detect release_agent File Container Escapes": (["--cap-add", "SYS_ADMIN"], ["/probe", "write", "/tmp/release_agent"]),
    "PTRACE attached to process": ([], ["/probe", "ptrace-attach"]),
    "PTRACE anti-debug attempt": ([], ["/probe", "ptrace-traceme"]),
    # (busybox's shell runs its applets without an exec: the probe execs grep)
    "Find AWS Credentials": ([], ["/probe", "spawn-as", "0", "/bin/grep", "aws_access_key_id", "/etc/hostname"]),
    "Execution from /dev/shm": (["--tmpfs", "/dev/shm:exec"], ["sh", "-c", "cp /bin/true /dev/shm/x && /dev/shm/x"]),
    "Drop and execute new binary in container": (
        [], ["sh", "-c", "cat /bin/busybox > /tmp/x && chmod +x /tmp/x && /tmp/x true"]),
    # ssh to 203.0.113.5:443 (not RFC 1918), an address of the container's own loopback
    "Disallowed SSH Connection Non Standard Port": (
        ["--cap-add", "NET_ADMIN"],
        ["sh", "-c", "/busybox ip addr add 203.0.113.5/24 dev lo && (/busybox nc -l -p 443 & sleep 0.5; "
                     "cp /probe /tmp/ssh; /tmp/ssh connect 203.0.113.5 443; kill %1)"]),
    "Fileless execution via memfd_create": ([], ["/probe", "memfd-exec"]),
}
FALCO_NOT_FED = {
    "Contact K8S API Server From Container":
        "fd.sip.name compares with kubernetes.default.svc.cluster.local, a name that does not resolve here",
    "Debugfs Launched in Privileged Container":
        "needs a running privileged container; this machine refuses them (no CAP_SYS_RESOURCE)",
}

# bulwark's default rules: the brief's bad things first, then every other rule.
DEFAULT_SCENARIOS = {
    "BW-RT-001": (["-t"], ["sh", "-c", "true"]),
    "BW-RT-014": ([], ["sh", "-c", "echo x >> /etc/hosts.allow"]),
    "BW-RT-012": ([], ["cat", "/etc/shadow"]),
    "BW-RT-003": ([], ["apt-get", "--version"]),
    "BW-RT-016": ([], ["sh", "-c", "cp /bin/true /tmp/t && chmod u+s /tmp/t"]),
    "BW-RT-006": FALCO_SCENARIOS["Drop and execute new binary in container"],
    "BW-RT-021": ([], ["/probe", "unshare"]),
    "BW-RT-022": ([], ["/probe", "mount"]),
    "BW-RT-024": ([], ["/probe", "ptrace-attach"]),
    "BW-RT-007": ([], ["/probe", "memfd-exec"]),
    "BW-RT-002": ([], ["sh", "-c", "cp /probe /tmp/nginx && /tmp/nginx spawn-as 0 /bin/sh -c true"]),
    "BW-RT-008": (["--tmpfs", "/dev/shm:exec"], ["sh", "-c", "cp /bin/true /dev/shm/x && /dev/shm/x"]),
    "BW-RT-009": ([], ["/probe", "spawn-as", "0", "/bin/grep", "-i", "BEGIN RSA PRIVATE", "/etc/hostname"]),
    "BW-RT-010": ([], ["shred", "--help"]),
    "BW-RT-011": FALCO_SCENARIOS["System user interactive"],
    "BW-RT-013": ([], ["sh", "-c", "cp /probe /tmp/nginx && /tmp/nginx late-read 6 /etc/shadow"]),
    "BW-RT-015": ([], ["sh", "-c", "echo x > /var/log/dpkg.log"]),
    "BW-RT-017": ([], ["rm", "-f", "/etc/shadow"]),
    "BW-RT-018": ([], ["ln", "-s", "/etc/shadow", "/tmp/s"]),
    "BW-RT-019": (["--entrypoint", "/probe"], ["read", "/usr/../../etc/passwd"]),
    "BW-RT-020": (["--cap-add", "SYS_ADMIN"], ["/probe", "write", "/tmp/release_agent"]),
    "BW-RT-023": (["--cap-add", "SYS_MODULE"], ["/probe", "finit-module"]),
    "BW-RT-025": ([], ["/probe", "ptrace-traceme"]),
    "BW-RT-026": ([], ["/probe", "packet-socket"]),
    "BW-RT-027": ([], ["/probe", "dup-socket"]),
    "BW-RT-028": (["--cap-add", "NET_ADMIN"], FALCO_SCENARIOS["Disallowed SSH Connection Non Standard Port"][1]),
}
DEFAULT_NOT_FED = {
    "BW-RT-029": "needs a running privileged container; this machine refuses them",
}
# BW-RT-004 and BW-RT-005 (netcat to another container on an internal network) have a test
# of their own below.
DEFAULT_OWN_TESTS = {"BW-RT-004", "BW-RT-005"}


def run_container(docker, image, probe, name, opts, cmd, check=False):
    """The scenario's own exit status is not asserted (some end in an error on purpose), but
    the engine must have run it: a container it failed to start is started again."""
    args = ["run", "--rm", "--network", "none", "--name", name, "-v", f"{probe}:/probe:ro",
            "-v", "/bin/busybox:/busybox:ro"] + opts + [image] + cmd
    for attempt in range(3):
        p = docker.cli(*args, check=check, input="", timeout=600)
        if p.returncode not in (125, 126, 127) or "Error response from daemon" not in p.stderr:
            return p
        docker.cli("rm", "-f", name, check=False)
    raise AssertionError(f"the engine did not run {name}: {p.stderr.strip()}")


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    return probe_binary(tmp_path_factory.mktemp("probe"))


@pytest.fixture(scope="module")
def kernel(bulwark):
    needs_kernel_monitor(bulwark)


@pytest.fixture(scope="module")
def falco_monitor(bulwark, kernel, docker, monitor_image, probe, tmp_path_factory):
    m = Monitor(bulwark, ["--rules", FALCO_RULES, "--stats-interval", "5s"], tmp_path_factory.mktemp("falco"))
    m.wait_ready()
    names = {rule: unique("f-" + rule.lower().replace(" ", "-").replace("/", "")[:40]) for rule in FALCO_SCENARIOS}
    run_all(lambda rule: run_container(docker, monitor_image, probe, names[rule], *FALCO_SCENARIOS[rule]),
            FALCO_SCENARIOS)
    m.image = monitor_image
    m.names = names
    yield m
    m.stop()


@pytest.fixture(scope="module")
def default_monitor(bulwark, kernel, docker, monitor_image, probe, tmp_path_factory):
    m = Monitor(bulwark, ["--stats-interval", "5s"], tmp_path_factory.mktemp("default"))
    m.wait_ready()
    names = {rid: unique("d-" + rid.lower()) for rid in DEFAULT_SCENARIOS}
    run_all(lambda rid: run_container(docker, monitor_image, probe, names[rid], *DEFAULT_SCENARIOS[rid]),
            DEFAULT_SCENARIOS)
    m.names = names
    yield m
    m.stop()


def test_falco_scenarios_cover_every_rule_of_the_file(bulwark):
    check = bulwark.json(["monitor", "--dry-run", "--format", "json", "--rules", FALCO_RULES])
    loaded = {r["rule"] for r in check["loaded"]}
    assert check["skipped"] == [] and check["inert"] == []
    assert loaded == set(FALCO_SCENARIOS) | set(FALCO_NOT_FED)


@pytest.mark.parametrize("rule", sorted(FALCO_SCENARIOS))
def test_falco_rule_fires_in_a_container(falco_monitor, rule):
    a = falco_monitor.wait_alert(rule=rule, container=falco_monitor.names[rule])
    assert a["kind"] == "runtime"
    assert a["equivalent"] == [rule]
    assert a["container"]["image"] == falco_monitor.image
    assert a["output_fields"].get("proc.name") not in (None, "<NA>")


def test_default_scenarios_cover_every_default_rule(bulwark):
    check = bulwark.json(["monitor", "--dry-run", "--format", "json"])
    assert check["skipped"] == [] and check["inert"] == []
    ids = {r["id"] for r in check["loaded"]}
    assert ids == set(DEFAULT_SCENARIOS) | set(DEFAULT_NOT_FED) | DEFAULT_OWN_TESTS


@pytest.mark.parametrize("rid", sorted(DEFAULT_SCENARIOS))
def test_default_rule_fires_in_a_container(default_monitor, rid):
    a = default_monitor.wait_alert(id=rid, container=default_monitor.names[rid])
    assert a["kind"] == "runtime" and a["status"] == "fail"
    assert a["equivalent"], "a default rule names the Falco rules it answers to"
    assert a["location"]["container"] == default_monitor.names[rid]
    assert a["container"]["image_id"].startswith("sha256:")
    assert a["process"]["pid"] > 0


def test_netcat_to_another_container_on_an_internal_network(default_monitor, docker, monitor_image, probe):
    net = unique("net")
    server = unique("nc-server")
    client = unique("nc-client")
    docker.cli("network", "create", "--internal", net)
    try:
        docker.cli("run", "-d", "--rm", "--network", net, "--name", server, "-v", "/bin/busybox:/busybox:ro",
                   monitor_image, "/busybox", "nc", "-l", "-p", "4444")
        docker.cli("run", "--rm", "--network", net, "--name", client, "-v", "/bin/busybox:/busybox:ro",
                   monitor_image, "sh", "-c", f"ln -s /busybox /tmp/nc && echo hello | /tmp/nc -w 5 {server} 4444",
                   check=False, input="")
        tool = default_monitor.wait_alert(id="BW-RT-004", container=client)
        assert "nc" in tool["output"]
        # (its first connection may be the name lookup, to the engine's DNS)
        conn = default_monitor.wait_alert(id="BW-RT-005", container=client,
                                          where=lambda a: a["output_fields"]["fd.name"].endswith(":4444"))
        assert conn["process"]["name"] == "nc"
    finally:
        docker.cli("rm", "-f", server, check=False)
        docker.cli("network", "rm", net, check=False)


def test_hardened_container_doing_normal_work_raises_nothing(bulwark, kernel, docker, monitor_image, tmp_path):
    name = unique("hardened")
    marker = unique("hardened-marker")
    m = Monitor(bulwark, [], tmp_path)
    m.wait_ready()
    try:
        docker.cli("run", "--rm", "--network", "none", "--read-only", "--cap-drop", "ALL", "--security-opt",
                   "no-new-privileges", "--user", "1000:1000", "--name", name, monitor_image, "sh", "-c",
                   "ls / > /dev/null; cat /etc/os-release > /dev/null; date; id; echo ok", input="")
        # a container that does raise an alert, after: once it arrives, the hardened
        # container's events are behind us
        docker.cli("run", "--rm", "--network", "none", "--name", marker, monitor_image, "cat", "/etc/shadow",
                   input="")
        m.wait_alert(container=marker, id="BW-RT-012")
    finally:
        assert m.stop() == 0
    # drift checks waiting for the image's file list are flushed at exit
    assert m.alerts(container=name) == []
    final = m.stats()[-1]
    assert final["final"] and final["decode_errors"] == 0


def test_exceptions_and_overrides_of_a_falco_file(bulwark, kernel, docker, monitor_image, tmp_path):
    """A local file tunes Falco's rules as Falco users do: an exception on a rule, an
    appended list, a macro overridden."""
    local = tmp_path / "local.yaml"
    local.write_text("""
- rule: Read sensitive file untrusted
  exceptions:
    - name: allowed_readers
      fields: [proc.name, fd.name]
      values:
        - [head, /etc/shadow]
  override:
    exceptions: append
- list: read_sensitive_file_binaries
  items: [tail]
  append: true
""")
    head, tail, cat = unique("exc-head"), unique("exc-tail"), unique("exc-cat")
    m = Monitor(bulwark, ["--rules", FALCO_RULES, "--rules", local], tmp_path / "m")
    m.wait_ready()
    try:
        for name, cmd in ((head, "head"), (tail, "tail"), (cat, "cat")):
            docker.cli("run", "--rm", "--network", "none", "--name", name, monitor_image, cmd, "/etc/shadow",
                       input="")
        m.wait_alert(container=cat, rule="Read sensitive file untrusted")
    finally:
        m.stop()
    assert m.alerts(container=head, rule="Read sensitive file untrusted") == []
    assert m.alerts(container=tail, rule="Read sensitive file untrusted") == []


def test_truncated_arguments_and_paths_are_marked(bulwark, kernel, docker, monitor_image, tmp_path):
    rules = tmp_path / "trunc.yaml"
    rules.write_text("""
- rule: long command line
  desc: t
  condition: evt.type = execve and proc.name = echo and container.id != host
  output: long %proc.cmdline
  priority: INFO
- rule: long path
  desc: t
  condition: evt.type in (open, openat) and fd.nameraw startswith /tmp/aaaa and container.id != host
  output: path %fd.name
  priority: INFO
""")
    name = unique("trunc")
    m = Monitor(bulwark, ["--rules", rules, "--all-opens"], tmp_path / "m")
    m.wait_ready()
    try:
        long_arg = "x" * 6000
        long_dir = "/tmp/" + "/".join(["a" * 200] * 6)
        docker.cli("run", "--rm", "--network", "none", "--name", name, monitor_image, "sh", "-c",
                   f"/bin/echo {long_arg} > /dev/null; mkdir -p {long_dir} && cat {long_dir}/f 2>/dev/null; true",
                   input="")
        a = m.wait_alert(container=name, rule="long command line")
        assert a["event"]["truncated"] is True
        assert a["process"]["args_truncated"] is True
        p = m.wait_alert(container=name, rule="long path")
        assert p["event"]["truncated"] is True
    finally:
        m.stop()


def test_engine_that_disappears_mid_run(bulwark, kernel, docker, monitor_image, tmp_path):
    """The engine goes away (here: the socket the monitor talks to): the monitor keeps
    running and names containers by id until the engine answers again."""
    import socket
    import threading

    sock_path = tmp_path / "engine.sock"
    stop = threading.Event()
    conns = []
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(str(sock_path))
    srv.listen(16)
    srv.settimeout(0.2)

    def pipe(a, b):
        try:
            while True:
                d = a.recv(65536)
                if not d:
                    break
                b.sendall(d)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.close()
            except OSError:
                pass

    def proxy():
        while not stop.is_set():
            try:
                c, _ = srv.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            up.connect("/var/run/docker.sock")
            conns.extend((c, up))
            threading.Thread(target=pipe, args=(c, up), daemon=True).start()
            threading.Thread(target=pipe, args=(up, c), daemon=True).start()

    t = threading.Thread(target=proxy, daemon=True)
    t.start()
    before, after = unique("engine-before"), unique("engine-after")
    m = Monitor(bulwark, ["--engine", f"unix://{sock_path}"], tmp_path / "m")
    try:
        m.wait_ready()
        docker.cli("run", "--rm", "--network", "none", "--name", before, monitor_image, "cat", "/etc/shadow",
                   input="")
        m.wait_alert(container=before, id="BW-RT-012")
        stop.set()
        srv.close()
        sock_path.unlink()
        for s in conns:  # the connections the monitor keeps open go too
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        cid = docker.cli("run", "-d", "--network", "none", "--name", after, monitor_image, "sh", "-c",
                         "cat /etc/shadow; sleep 1").stdout.strip()
        try:
            a = m.wait_alert(container=cid[:12], id="BW-RT-012")
            assert a["container"]["id"] == cid
        finally:
            docker.cli("rm", "-f", after, check=False)
        assert m.proc.poll() is None, "the monitor keeps running without its engine"
    finally:
        stop.set()
        rc = m.stop()
    assert rc == 0
    assert "container names unavailable" in m.stderr() or "cannot reach" in m.stderr()


def test_fork_bomb_in_a_pid_limited_container(bulwark, kernel, docker, monitor_image, tmp_path):
    """A fork bomb, bounded by --pids-limit, with a small ring buffer: the monitor keeps
    running, counts what the kernel could not hand over, and reports it."""
    bomb, after = unique("forkbomb"), unique("after-bomb")
    m = Monitor(bulwark, ["--buffer-size", "16K", "--all-opens", "--stats-interval", "1s"], tmp_path / "m")
    m.wait_ready()
    try:
        docker.cli("run", "-d", "--rm", "--network", "none", "--pids-limit", "64", "--name", bomb,
                   monitor_image, "sh", "-c",
                   "f() { f | f & }; f; for i in $(seq 1 200000); do cat /etc/hostname >/dev/null 2>&1; done")
        # let it rage for a while, then stop it
        subprocess.run(["sleep", "8"])
        docker.cli("rm", "-f", bomb, check=False)
        assert m.proc.poll() is None, "the monitor survives the fork bomb"
        docker.cli("run", "--rm", "--network", "none", "--name", after, monitor_image, "cat", "/etc/shadow",
                   input="")
        m.wait_alert(container=after, id="BW-RT-012")
    finally:
        docker.cli("rm", "-f", bomb, check=False)
        rc = m.stop()
    assert rc == 0
    final = m.stats()[-1]
    assert final["final"] is True
    assert len(final["drops_per_cpu"]) >= 1 and sum(final["drops_per_cpu"]) == final["drops"]
    if final["drops"]:
        assert "the kernel dropped" in m.stderr()


def test_not_permitted_names_the_capability(bulwark, kernel, tmp_path):
    """Without CAP_BPF/CAP_PERFMON/CAP_SYS_ADMIN the monitor says which it needs, exit 3."""
    if subprocess.run(["which", "setpriv"], stdout=subprocess.DEVNULL).returncode != 0:
        pytest.skip("setpriv (util-linux) is not installed")
    p = subprocess.run(["setpriv", "--inh-caps=-all", "--bounding-set=-bpf,-perfmon,-sys_admin", "--",
                        str(bulwark.path), "monitor", "--duration", "1"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
    assert p.returncode == 3, p.stderr
    assert "CAP_BPF" in p.stderr and "CAP_PERFMON" in p.stderr and "CAP_SYS_ADMIN" in p.stderr
