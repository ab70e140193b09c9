"""bulwark net watch: the flow log, with containers on --internal networks this test
creates talking to each other (engine-internal addresses only): every new connection
attributed to the containers on both ends, as JSON lines, and the flows the intended
graph does not allow flagged — from the runtime monitor's eBPF TCP events (the primary
source: with the process, refused connections and connected UDP sockets too) and from
conntrack (the fallback, forced with --source conntrack, or taken with a note when eBPF
is not permitted). The decoding of the eBPF records and the attribution are unit tests
(tests/unit/monitor/test_flows.c, tests/unit/net/test_net.c)."""
import json
import os
import subprocess
import time
import uuid

import pytest


@pytest.fixture(scope="module")  # one set of containers for every source's test
def trio(docker, tiny_image):
    if os.geteuid() != 0:
        pytest.skip("conntrack events and setns need root")
    run = uuid.uuid4().hex[:8]
    net = f"bwwatch-{run}"
    names = {k: f"{k}-{run}" for k in ("db", "api", "intruder")}
    docker.cli("network", "create", "--internal", net)
    made = []

    def labels(service):  # as compose labels its containers: the design test names them so
        return ["--label", f"com.docker.compose.project=bwwatch-{run}", "--label",
                f"com.docker.compose.service={service}"]
    try:
        docker.cli("run", "-d", "--name", names["db"], "--network", net, *labels("db"), tiny_image, "sh", "-c",
                   "while true; do nc -l -p 5432 </dev/null; done")
        made.append(names["db"])
        for k in ("api", "intruder"):
            docker.cli("run", "-d", "--name", names[k], "--network", net, *labels(k), tiny_image, "sleep", "600")
            made.append(names[k])
        names["project"] = f"bwwatch-{run}"
        yield names
    finally:
        for c in made:
            docker.cli("rm", "-f", c, check=False)
        docker.cli("network", "rm", net, check=False)


def connect(docker, frm, to, port):
    for _ in range(20):
        p = docker.cli("exec", frm, "sh", "-c", f"echo hi | nc -w 2 {to} {port}", check=False)
        if p.returncode == 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"{frm} could not reach {to}:{port}")


def test_flows_between_containers_are_logged_and_judged(bulwark, docker, trio, tmp_path):
    intended = tmp_path / "intended.yaml"
    intended.write_text("workloads:\n"
                        f"  {trio['db']}: {{}}\n  {trio['api']}: {{}}\n  {trio['intruder']}: {{}}\n"
                        f"allow:\n  - {{from: {trio['api']}, to: {trio['db']}, port: 5432, proto: tcp}}\n")
    out = tmp_path / "flows.jsonl"
    env = dict(os.environ, DOCKER_HOST=docker.host)
    watch = subprocess.Popen([str(bulwark.path), "net", "watch", "--source", "conntrack", "--intended",
                              str(intended), "--duration", "60", "--exit-code", "5", "-o", str(out)], env=env,
                             stderr=subprocess.PIPE)
    try:
        time.sleep(3)  # the watch joins the containers' namespaces
        connect(docker, trio["api"], trio["db"], 5432)
        connect(docker, trio["intruder"], trio["db"], 5432)
        deadline = time.time() + 30
        while time.time() < deadline:
            text = out.read_text() if out.exists() else ""
            if text.count(f'"{trio["intruder"]}"') and text.count(f'"{trio["api"]}"'):
                break
            time.sleep(0.3)
    finally:
        watch.terminate()
        _, err = watch.communicate(timeout=60)
    assert watch.returncode == 5, err.decode()  # SIGTERM: a clean stop; a violation: --exit-code
    flows = [json.loads(line) for line in out.read_text().splitlines()]
    to_db = [f for f in flows if f["dst"].get("container") == trio["db"] and f["dst"].get("port") == 5432]
    by_src = {f["src"].get("container"): f for f in to_db}
    assert set(by_src) >= {trio["api"], trio["intruder"]}, flows
    ok, bad = by_src[trio["api"]], by_src[trio["intruder"]]
    assert ok["allowed"] is True and "violation" not in ok
    assert bad["allowed"] is False and bad["violation"] is True
    for f in (ok, bad):
        assert f["proto"] == "tcp" and f["source"] == "conntrack"
        assert f["src"]["ip"].startswith(("172.", "10.", "192.168.")) and f["dst"]["container_id"]
        assert f["time"].endswith("Z")
    # one line per connection, even though two namespaces may see it
    keys = [(f["src"]["ip"], f["src"].get("port"), f["dst"]["ip"], f["dst"].get("port")) for f in flows]
    assert len(keys) == len(set(keys))
    assert b"not allowed" in err


def wait_ready(watch, err_path):
    """The watch says which source it watches with once it does."""
    deadline = time.time() + 120  # a hang guard, not a speed limit
    while time.time() < deadline:
        text = err_path.read_text() if err_path.exists() else ""
        if "watching flows (source " in text:
            return text
        if watch.poll() is not None:
            raise AssertionError(f"net watch exited {watch.returncode}: {text}")
        time.sleep(0.1)
    raise AssertionError(f"net watch not ready (hang guard): {err_path.read_text()}")


def test_ebpf_flows_judged_against_a_compose_design(bulwark, docker, trio, tmp_path):
    # the design: api and db share the back network, the intruder is only on the front one;
    # the containers are its services by their compose labels
    design = tmp_path / "compose.yaml"
    design.write_text(f"name: {trio['project']}\n"
                      "services:\n"
                      "  db: {image: tiny:1, expose: ['5432'], networks: [back]}\n"
                      "  api: {image: tiny:1, networks: [back]}\n"
                      "  intruder: {image: tiny:1, networks: [front]}\n"
                      "networks: {back: {}, front: {}}\n")
    out, err_path = tmp_path / "flows.jsonl", tmp_path / "stderr.txt"
    env = dict(os.environ, DOCKER_HOST=docker.host)
    with open(err_path, "wb") as err_file:
        watch = subprocess.Popen([str(bulwark.path), "net", "watch", "--source", "ebpf", "--duration", "120",
                                  "-o", str(out), str(design)], env=env, stderr=err_file)
        try:
            try:
                wait_ready(watch, err_path)
            except AssertionError:
                text = err_path.read_text()
                if watch.returncode == 3 and ("without the eBPF" in text or "no BTF" in text):
                    pytest.skip(text.strip())
                raise
            connect(docker, trio["api"], trio["db"], 5432)
            connect(docker, trio["intruder"], trio["db"], 5432)
            # refused (nothing listens), and a connected UDP socket (a DNS query to db)
            docker.cli("exec", trio["intruder"], "sh", "-c", f"echo hi | nc -w 1 {trio['db']} 6379", check=False)
            docker.cli("exec", trio["api"], "timeout", "3", "nslookup", "-timeout=1", "x.example", trio["db"],
                       check=False)
            deadline = time.time() + 60
            while time.time() < deadline:
                text = out.read_text() if out.exists() else ""
                if '"state":"failed"' in text and '"proto":"udp"' in text and text.count(f'"{trio["intruder"]}"'):
                    break
                time.sleep(0.2)
        finally:
            watch.terminate()
            watch.wait(timeout=60)
    err = err_path.read_text()
    assert watch.returncode == 0, err  # SIGTERM: a clean stop
    assert "watching flows (source ebpf)" in err and "source ebpf" in err.splitlines()[-1], err
    flows = [json.loads(line) for line in out.read_text().splitlines()]
    mine = [f for f in flows if f["dst"].get("container") == trio["db"]]
    assert all(f["source"] == "ebpf" for f in mine)
    est = {f["src"].get("container"): f for f in mine if f["proto"] == "tcp" and f["dst"]["port"] == 5432}
    assert set(est) >= {trio["api"], trio["intruder"]}, mine
    ok, bad = est[trio["api"]], est[trio["intruder"]]
    assert ok["allowed"] is True and "violation" not in ok and ok["via"] == "network back", ok
    assert bad["allowed"] is False and bad["violation"] is True
    assert ok["src"]["node"] == f"compose:{trio['project']}/api" and ok["dst"]["node"] == f"compose:{trio['project']}/db"
    for f in (ok, bad):
        # the client's end saw it: its process, and the handshake completed
        assert f["state"] == "established" and f["comm"] == "nc" and f["pid"] > 0, f
        assert f["seen_in"] == f["src"]["container"] and f["src"]["port"] > 0
        assert f["src"]["container_id"] and f["dst"]["container_id"]
    refused = [f for f in mine if f["proto"] == "tcp" and f["dst"]["port"] == 6379]
    assert refused and refused[0]["state"] == "failed" and refused[0]["src"]["container"] == trio["intruder"]
    assert refused[0]["violation"] is True
    udp = [f for f in mine if f["proto"] == "udp" and f["dst"]["port"] == 53]
    assert udp and udp[0]["state"] == "connected" and udp[0]["src"]["container"] == trio["api"], mine
    assert udp[0]["comm"] == "nslookup" and udp[0]["violation"] is True  # the design has db:5432/tcp only
    # the server's end saw the same connections: one line each
    keys = [(f["proto"], f["src"]["ip"], f["src"].get("port"), f["dst"]["ip"], f["dst"].get("port")) for f in mine
            if f.get("state") == "established"]
    assert len(keys) == len(set(keys))
    assert "repeat(s) of a logged connection" in err and "LOST" not in err, err


def test_falls_back_to_conntrack_with_a_note_when_ebpf_is_not_permitted(bulwark, docker):
    if os.geteuid() != 0:
        pytest.skip("conntrack needs root (CAP_NET_ADMIN)")
    # root without CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN: no eBPF; conntrack of the
    # host's namespace still works (joining containers' would need CAP_SYS_ADMIN)
    argv = ["capsh", "--drop=cap_bpf,cap_perfmon,cap_sys_admin", "--", "-c",
            f'exec "$0" net watch --duration 1', str(bulwark.path)]
    p = subprocess.run(argv, env=dict(os.environ, DOCKER_HOST=docker.host), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    err = p.stderr.decode()
    assert p.returncode == 0, err
    assert "warning: ebpf: eBPF is not permitted here" in err and "CAP_BPF" in err, err
    assert "falling back to conntrack" in err and "watching flows (source conntrack)" in err, err
    assert "source conntrack" in err.splitlines()[-1]
    # without eBPF and forced to it: the reason, exit 3
    argv[-2] = f'exec "$0" net watch --source ebpf --duration 1'
    p = subprocess.run(argv, env=dict(os.environ, DOCKER_HOST=docker.host), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    assert p.returncode == 3 and "eBPF is not permitted here" in p.stderr.decode(), p.stderr.decode()


def test_watch_usage(bulwark, docker, tmp_path):
    rc, out, err = bulwark.run(["net", "watch", "--count", "0"])
    assert rc == 2 and "--count" in err
    rc, out, err = bulwark.run(["net", "watch", "--source", "pcap"])
    assert rc == 2 and "--source auto, ebpf or conntrack, not 'pcap'" in err
    intended = tmp_path / "ok.yaml"
    intended.write_text("workloads: {}\n")
    rc, out, err = bulwark.run(["net", "watch", "--intended", intended, tmp_path])
    assert rc == 2 and "--intended FILE or a design (PATH...), not both" in err
    rc, out, err = bulwark.run(["net", "watch", tmp_path / "missing.yaml"])
    assert rc == 3 and "missing.yaml" in err, err
    bad = tmp_path / "intended.yaml"
    bad.write_text("allow:\n  - {to: x}\n")
    rc, out, err = bulwark.run(["net", "watch", "--intended", bad, "--duration", "1"],
                               env={"DOCKER_HOST": docker.host})
    assert rc == 2 and "intended.yaml:2:5: an allow entry names from and to" in err, err
    rc, out, err = bulwark.run(["net", "watch", "--duration", "1"], env={"DOCKER_HOST": "unix:///nonexistent.sock"})
    assert rc == 3 and "nonexistent.sock" in err
