"""bulwark audit (CIS Docker Benchmark v1.6) against the real engine: risky and
hardened containers (all --network none) get the verdicts the benchmark
gives them, live and offline agree, file and permission checks on a fixture
host root, and bad inputs become warnings naming the input."""

import json
import os
import pathlib
import socket
import subprocess
import threading

import jsonschema
import pytest

LABEL = "org.bulwark.test=audit"

# name -> docker arguments (before the image); "create" ones are never started.
CONTAINERS = {
    "bw-audit-privileged": ("create", ["--privileged"]),
    "bw-audit-hostpid": ("run", ["--pid", "host"]),
    "bw-audit-socket": ("run", ["-v", "/var/run/docker.sock:/var/run/docker.sock"]),
    "bw-audit-sysadmin": ("run", ["--cap-add", "SYS_ADMIN"]),
    "bw-audit-nolimits": ("run", []),
    "bw-audit-hostetc": ("run", ["-v", "/etc:/host-etc:ro"]),
    "bw-audit-unconfined": ("run", ["--security-opt", "seccomp=unconfined"]),
    "bw-audit-hostipc-uts": ("create", ["--ipc", "host", "--uts", "host", "--device", "/dev/null:/dev/xnull",
                                        "--restart", "always"]),
    "bw-audit-hardened": ("run", ["--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                                  "--user", "65534:65534", "--memory", "64m", "--pids-limit", "50",
                                  "--cpu-shares", "512", "--health-cmd", "true", "--restart", "on-failure:3"]),
}

# (check, container) -> expected status
EXPECT = {
    ("5.5", "bw-audit-privileged"): "warn",
    ("5.22", "bw-audit-privileged"): "warn",
    ("5.16", "bw-audit-hostpid"): "warn",
    ("5.32", "bw-audit-socket"): "warn",
    ("5.4", "bw-audit-sysadmin"): "warn",
    ("5.11", "bw-audit-nolimits"): "warn",
    ("5.29", "bw-audit-nolimits"): "warn",
    ("5.12", "bw-audit-nolimits"): "warn",
    ("5.13", "bw-audit-nolimits"): "warn",
    ("5.26", "bw-audit-nolimits"): "warn",
    ("5.27", "bw-audit-nolimits"): "warn",
    ("5.6", "bw-audit-hostetc"): "warn",
    ("5.22", "bw-audit-unconfined"): "warn",
    ("5.17", "bw-audit-hostipc-uts"): "warn",
    ("5.21", "bw-audit-hostipc-uts"): "warn",
    ("5.18", "bw-audit-hostipc-uts"): "warn",
    ("5.15", "bw-audit-hostipc-uts"): "warn",
}
HARDENED_PASS = ["5.4", "5.5", "5.6", "5.7", "5.8", "5.10", "5.11", "5.12", "5.13", "5.14", "5.15", "5.16",
                 "5.17", "5.18", "5.20", "5.21", "5.22", "5.25", "5.26", "5.27", "5.29", "5.30", "5.31", "5.32"]
# Every risky container passes the checks it is not about.
RISKY_PASS = {
    "bw-audit-socket": ["5.5", "5.16", "5.4", "5.10", "5.30"],
    "bw-audit-hostpid": ["5.5", "5.32", "5.6", "5.4"],
    "bw-audit-sysadmin": ["5.5", "5.32", "5.16"],
}


@pytest.fixture(scope="module")
def containers(docker, tiny_image):
    ids = {}
    for name, (how, args) in CONTAINERS.items():
        docker.cli("rm", "-f", name, check=False)
        cmd = [how] + (["-d"] if how == "run" else []) + ["--network", "none", "--label", LABEL, "--name", name]
        ids[name] = docker.cli(*cmd, *args, tiny_image, "sleep", "600").stdout.strip()
    yield ids
    docker.cli("rm", "-f", *CONTAINERS.keys(), check=False)


def verdicts(report, names):
    out = {}
    for f in report["findings"]:
        c = f.get("location", {}).get("container")
        if c in names or (c is None and not names):
            out[(f["id"][4:], c)] = f["status"]
    return out


def audit_json(bulwark, args, env=None):
    rc, out, err = bulwark.run(["audit", "-f", "json"] + args, env=env)
    assert rc == 0, err
    return json.loads(out), err


def test_risky_and_hardened_containers_live(bulwark, docker, containers):
    rep, _ = audit_json(bulwark, ["--check", "5"], env={"DOCKER_HOST": docker.host})
    assert rep["target"]["type"] == "host"
    v = verdicts(rep, set(CONTAINERS))
    for key, status in EXPECT.items():
        assert v.get(key) == status, f"{key}: {v.get(key)}, want {status}"
    for check in HARDENED_PASS:
        assert v[(check, "bw-audit-hardened")] == "pass", check
    for name, checks in RISKY_PASS.items():
        for check in checks:
            assert v[(check, name)] == "pass", (check, name)
    # evidence names what decided it
    ev = {(f["id"], f.get("location", {}).get("container")): f.get("evidence", "") for f in rep["findings"]}
    assert "SYS_ADMIN" in ev[("CIS-5.4", "bw-audit-sysadmin")]
    assert "/var/run/docker.sock" in ev[("CIS-5.32", "bw-audit-socket")]
    assert "/etc -> /host-etc (read-only)" in ev[("CIS-5.6", "bw-audit-hostetc")]
    warn = [f for f in rep["findings"] if f["status"] == "warn"]
    assert all(f.get("remediation") for f in warn)
    assert all(f["severity"] != "INFO" for f in warn)


def test_offline_inspect_agrees_with_live(bulwark, docker, containers, tmp_path):
    inspect = tmp_path / "inspect.json"
    inspect.write_text(docker.cli("inspect", *containers.values()).stdout)
    info = tmp_path / "info.json"
    info.write_text(docker.cli("info", "--format", "{{json .}}").stdout)
    live, _ = audit_json(bulwark, ["--check", "5"], env={"DOCKER_HOST": docker.host})
    off, _ = audit_json(bulwark, ["--check", "5", "--inspect", inspect, "--engine-info", info])
    names = set(CONTAINERS)
    assert verdicts(off, names) == verdicts(live, names)
    assert len(verdicts(off, names)) == len(CONTAINERS) * 29


def _dockerd_pid():
    p = subprocess.run(["pgrep", "-x", "dockerd"], capture_output=True, text=True)
    pids = p.stdout.split()
    return pids[0] if len(pids) == 1 else None


def test_daemon_checks_offline_agree_with_live(bulwark, docker, tmp_path):
    pid = _dockerd_pid()
    if not pid or not docker.host.startswith("unix://"):
        pytest.skip("needs exactly one local dockerd")
    cmdline = tmp_path / "cmdline"
    cmdline.write_bytes(pathlib.Path(f"/proc/{pid}/cmdline").read_bytes())
    info = tmp_path / "info.json"
    info.write_text(docker.cli("info", "--format", "{{json .}}").stdout)
    live, _ = audit_json(bulwark, ["--check", "2"], env={"DOCKER_HOST": docker.host})
    off, _ = audit_json(bulwark, ["--check", "2", "--offline", "--dockerd-cmdline", cmdline,
                                  "--engine-info", info])
    assert verdicts(off, set()) == verdicts(live, set())
    # this machine's engine runs with --iptables=false (REAL-COMPONENTS.md)
    if b"--iptables=false" in cmdline.read_bytes():
        f = [f for f in live["findings"] if f["id"] == "CIS-2.4"][0]
        assert f["status"] == "warn" and "command line" in f["evidence"]


def test_daemon_json_and_command_line(bulwark, tmp_path):
    root = tmp_path / "root"
    (root / "etc/docker").mkdir(parents=True)
    (root / "etc/docker/daemon.json").write_text(json.dumps({
        "icc": False, "log-level": "debug", "insecure-registries": ["reg.local:5000"],
        "userns-remap": "default", "no-new-privileges": True, "live-restore": True,
        "userland-proxy": False, "authorization-plugins": ["authz"], "log-driver": "syslog",
        "hosts": ["tcp://0.0.0.0:2375"], "storage-opts": ["dm.basesize=20G"], "experimental": True}))
    cmd = tmp_path / "cmdline"
    cmd.write_text("/usr/sbin/dockerd --log-level=info --icc=true -H unix:///run/docker.sock "
                   "-H tcp://0.0.0.0:2376 --tlsverify --tlscacert /etc/docker/ca.pem "
                   "--tlscert /etc/docker/cert.pem --tlskey /etc/docker/key.pem\n")
    rep, _ = audit_json(bulwark, ["--offline", "--host-root", root, "--check", "2", "--dockerd-cmdline", cmd])
    v = {f["id"]: (f["status"], f.get("evidence", "")) for f in rep["findings"]}
    assert v["CIS-2.2"] == ("warn", "icc is true (command line)")        # the command line wins
    assert v["CIS-2.3"][0] == "pass" and "command line" in v["CIS-2.3"][1]
    assert v["CIS-2.5"][0] == "warn" and "reg.local:5000" in v["CIS-2.5"][1]
    assert v["CIS-2.7"][0] == "pass" and "tcp://0.0.0.0:2376" in v["CIS-2.7"][1]
    for ok in ("2.9", "2.12", "2.13", "2.14", "2.15", "2.16"):
        assert v["CIS-" + ok][0] == "pass", (ok, v["CIS-" + ok])
    assert v["CIS-2.11"][0] == "warn" and v["CIS-2.18"][0] == "warn"

    # without TLS on the command line, the daemon.json's TCP host warns
    rep, _ = audit_json(bulwark, ["--offline", "--host-root", root, "--check", "2.7"])
    f = rep["findings"][0]
    assert f["status"] == "warn" and "tcp://0.0.0.0:2375" in f["evidence"]


def test_daemon_json_with_comments_is_a_named_warning(bulwark, tmp_path):
    root = tmp_path / "root"
    (root / "etc/docker").mkdir(parents=True)
    dj = root / "etc/docker/daemon.json"
    dj.write_text('{\n  // no comments in JSON\n  "icc": false,\n}\n')
    rc, out, err = bulwark.run(["audit", "-f", "json", "--offline", "--host-root", root])
    assert rc == 0, err
    rep = json.loads(out)
    assert any(str(dj) in w and "line 2" in w for w in rep["warnings"]), rep.get("warnings")
    assert str(dj) in err
    ids = {f["id"] for f in rep["findings"]}
    assert {"CIS-1.1.1", "CIS-3.17", "CIS-2.2", "CIS-6.2"} <= ids     # the other checks still ran


def test_bad_inspect_files_are_named_warnings(bulwark, docker, containers, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(docker.cli("inspect", containers["bw-audit-privileged"]).stdout)
    truncated = tmp_path / "truncated.json"
    truncated.write_text(good.read_text()[:200])
    notjson = tmp_path / "notjson.json"
    notjson.write_text("<html>nope</html>")
    rep, err = audit_json(bulwark, ["--check", "5.5", "--inspect", truncated, "--inspect", notjson,
                                    "--inspect", good, "--inspect", tmp_path / "missing.json"])
    w = "\n".join(rep["warnings"])
    for f in (truncated, notjson, tmp_path / "missing.json"):
        assert str(f) in w
    assert [f["location"]["container"] for f in rep["findings"]] == ["bw-audit-privileged"]
    assert rep["findings"][0]["status"] == "warn"


def _mkfile(path, mode, text="x\n", uid=0, gid=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, mode)
    os.chown(path, uid, gid)


@pytest.fixture
def host_root(tmp_path):
    r = tmp_path / "host"
    _mkfile(r / "etc/passwd", 0o644, "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n")
    _mkfile(r / "etc/group", 0o644, "root:x:0:\ndocker:x:998:alice,bob\nalice:x:1000:\n")
    _mkfile(r / "etc/fstab", 0o644, "/dev/sdb1 /var/lib/docker ext4 defaults 0 2\n")
    _mkfile(r / "etc/audit/rules.d/docker.rules", 0o640, "-w /usr/bin/dockerd -k docker\n# -w /usr/bin/runc\n"
            "-a always,exit -F path=/etc/docker -F perm=wa -k docker\n")
    _mkfile(r / "usr/bin/dockerd", 0o755)
    _mkfile(r / "usr/bin/runc", 0o755)
    (r / "etc/docker").mkdir(parents=True, exist_ok=True)
    os.chmod(r / "etc/docker", 0o755)
    _mkfile(r / "etc/docker/daemon.json", 0o666, "{}\n")
    _mkfile(r / "lib/systemd/system/docker.service", 0o644)
    _mkfile(r / "lib/systemd/system/docker.socket", 0o644, uid=1000, gid=1000)
    _mkfile(r / "etc/docker/certs.d/reg.local:5000/ca.crt", 0o644)
    _mkfile(r / "etc/default/docker", 0o600)
    (r / "run").mkdir()
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(r / "run/docker.sock"))
    s.close()
    os.chmod(r / "run/docker.sock", 0o660)
    os.chown(r / "run/docker.sock", 0, 998)
    return r


def test_host_and_file_checks_on_a_fixture_root(bulwark, host_root):
    rep, _ = audit_json(bulwark, ["--offline", "--host-root", host_root, "--check", "1,3"])
    v = {f["id"][4:]: (f["status"], f.get("evidence", "")) for f in rep["findings"]}
    assert v["1.1.1"][0] == "pass"
    assert v["1.1.2"] == ("info", "docker group (gid 998) members, each root-equivalent: alice,bob")
    assert v["1.1.3"] == ("pass", "audit rule: -w /usr/bin/dockerd -k docker")
    assert v["1.1.6"][0] == "pass" and "path=/etc/docker" in v["1.1.6"][1]
    assert v["1.1.18"][0] == "warn"           # present, and only a commented-out rule
    assert v["1.1.14"][0] == "info"           # not present on this host
    assert v["3.1"][0] == "pass" and v["3.2"][0] == "pass"
    assert v["3.3"] == ("warn", "/lib/systemd/system/docker.socket is owned by alice:alice, not root:root")
    assert v["3.4"][0] == "pass"
    assert v["3.5"][0] == "pass" and v["3.6"][0] == "pass"
    assert v["3.7"][0] == "pass"
    assert v["3.8"][0] == "warn" and "reg.local:5000/ca.crt has mode 0644" in v["3.8"][1]
    assert v["3.15"] == ("pass", "/run/docker.sock is owned by root:docker")
    assert v["3.16"] == ("pass", "/run/docker.sock has mode 0660")
    assert v["3.17"][0] == "pass"
    assert v["3.18"] == ("warn", "/etc/docker/daemon.json has mode 0666, more permissive than 0644")
    assert v["3.19"][0] == "pass" and v["3.20"][0] == "pass"
    assert v["3.21"][0] == "info" and v["3.9"][0] == "info"


def test_check_selection_and_exit_code(bulwark, host_root):
    base = ["audit", "--offline", "--host-root", host_root]
    rc, out, err = bulwark.run(base + ["-f", "json", "--check", "3", "--exclude", "3.1,3.2"])
    ids = {f["id"] for f in json.loads(out)["findings"]}
    assert rc == 0 and "CIS-3.1" not in ids and "CIS-3.18" in ids and all(i.startswith("CIS-3.") for i in ids)
    rc, out, err = bulwark.run(base + ["--check", "3.18", "--exit-code", "4"])
    assert rc == 4 and "WARN" in out and "Score: 0 pass, 1 warn" in out
    rc, out, err = bulwark.run(base + ["--check", "3.17", "--exit-code", "4"])
    assert rc == 0
    rc, out, err = bulwark.run(base + ["--check", "3.18", "--exit-code", "4", "--severity", "HIGH"])
    assert rc == 0                             # 3.18 warns at MEDIUM
    rc, out, err = bulwark.run(base + ["--check", "7.1"])
    assert rc == 2 and "'7.1' names no CIS check" in err


def test_table_groups_by_section_with_score(bulwark, host_root):
    rc, out, err = bulwark.run(["audit", "--offline", "--host-root", host_root])
    assert rc == 0, err
    for header in ("[1] Host configuration", "[2] Docker daemon configuration", "[3] Docker daemon configuration files",
                   "[4] Container images and build files", "[6] Docker security operations"):
        assert header in out
    assert "NOTE  4.1 " in out and "Score:" in out


def test_list_names_every_check(bulwark):
    rc, out, err = bulwark.run(["audit", "--list"])
    assert rc == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert len(ids) == 108 and "CIS-5.32" in ids and "CIS-1.1.18" in ids and "CIS-3.24" in ids


def test_unreachable_engine_exits_3(bulwark, tmp_path):
    rc, out, err = bulwark.run(["audit"], env={"DOCKER_HOST": f"unix://{tmp_path}/none.sock"})
    assert rc == 3
    assert f"cannot reach the Docker Engine at unix://{tmp_path}/none.sock" in err


class _HostileEngine(threading.Thread):
    """An engine that lists two containers, then fails on their inspect: one with
    HTTP 500, one by closing the connection in the middle of the body."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.bind(path)
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.stop = False

    def run(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            with c:
                req = b""
                while b"\r\n\r\n" not in req:
                    d = c.recv(4096)
                    if not d:
                        break
                    req += d
                path = req.split(b" ")[1].decode() if b" " in req else ""
                if path == "/version":
                    self.reply(c, 200, json.dumps({"ApiVersion": "1.41"}))
                elif path.endswith("/info"):
                    self.reply(c, 200, json.dumps({"ServerVersion": "hostile", "Swarm": {"LocalNodeState": "inactive"}}))
                elif "/containers/json" in path:
                    self.reply(c, 200, json.dumps([{"Id": "a" * 64}, {"Id": "b" * 64}]))
                elif ("a" * 64) in path:
                    self.reply(c, 500, json.dumps({"message": "inspect exploded"}))
                elif ("b" * 64) in path:
                    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"Id\":")
                else:
                    self.reply(c, 404, json.dumps({"message": "page not found"}))

    @staticmethod
    def reply(c, status, body):
        b = body.encode()
        c.sendall(b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                  % (status, len(b)) + b)


def test_hostile_engine_errors_are_warnings(bulwark, tmp_path):
    sock = str(tmp_path / "hostile.sock")
    srv = _HostileEngine(sock)
    srv.start()
    try:
        rc, out, err = bulwark.run(["audit", "-f", "json", "--host-root", tmp_path],
                                   env={"DOCKER_HOST": "unix://" + sock}, timeout=60)
    finally:
        srv.stop = True
        srv.join(5)
    assert rc == 0, err
    rep = json.loads(out)
    w = "\n".join(rep["warnings"])
    assert "container aaaaaaaaaaaa not audited" in w and "inspect exploded" in w and "HTTP 500" in w
    assert "container bbbbbbbbbbbb not audited" in w and "closed in the middle" in w and sock in w
    assert any(f["id"] == "CIS-5.1" and f["status"] == "pass" for f in rep["findings"])


def test_sarif_output(bulwark, host_root):
    rc, out, err = bulwark.run(["audit", "--offline", "--host-root", host_root, "-f", "sarif", "--check", "3"])
    assert rc == 0, err
    sarif = json.loads(out)
    schema = pathlib.Path(__file__).resolve().parents[1] / "schemas/sarif-schema-2.1.0.json"
    jsonschema.validate(sarif, json.loads(schema.read_text()))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    by_id = {r["ruleId"]: r for r in results}
    assert "CIS-3.18" in by_id
    # the verdicts of the JSON report, in SARIF's terms (pass is kind "pass", level "none")
    rep, _ = audit_json(bulwark, ["--offline", "--host-root", host_root, "--check", "3"])
    assert len(results) == len(rep["findings"])
    for f in rep["findings"]:
        r = by_id[f["id"]]
        assert r["properties"]["status"] == f["status"]
        if f["status"] == "pass":
            assert (r["kind"], r["level"]) == ("pass", "none")
