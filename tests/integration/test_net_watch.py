"""bulwark net watch: the conntrack flow log, with containers on --internal networks
this test creates talking to each other (engine-internal addresses only): every new
connection attributed to the containers on both ends, as JSON lines, and the flows the
intended graph does not allow flagged."""
import json
import os
import subprocess
import time
import uuid

import pytest


@pytest.fixture
def trio(docker, tiny_image):
    if os.geteuid() != 0:
        pytest.skip("conntrack events and setns need root")
    run = uuid.uuid4().hex[:8]
    net = f"bwwatch-{run}"
    names = {k: f"{k}-{run}" for k in ("db", "api", "intruder")}
    docker.cli("network", "create", "--internal", net)
    made = []
    try:
        docker.cli("run", "-d", "--name", names["db"], "--network", net, tiny_image, "sh", "-c",
                   "while true; do nc -l -p 5432 </dev/null; done")
        made.append(names["db"])
        for k in ("api", "intruder"):
            docker.cli("run", "-d", "--name", names[k], "--network", net, tiny_image, "sleep", "600")
            made.append(names[k])
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
    watch = subprocess.Popen([str(bulwark.path), "net", "watch", "--intended", str(intended), "--duration", "60",
                              "--exit-code", "5", "-o", str(out)], env=env, stderr=subprocess.PIPE)
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


def test_watch_usage(bulwark, docker, tmp_path):
    rc, out, err = bulwark.run(["net", "watch", "--count", "0"])
    assert rc == 2 and "--count" in err
    bad = tmp_path / "intended.yaml"
    bad.write_text("allow:\n  - {to: x}\n")
    rc, out, err = bulwark.run(["net", "watch", "--intended", bad, "--duration", "1"],
                               env={"DOCKER_HOST": docker.host})
    assert rc == 2 and "intended.yaml:2:5: an allow entry names from and to" in err, err
    rc, out, err = bulwark.run(["net", "watch", "--duration", "1"], env={"DOCKER_HOST": "unix:///nonexistent.sock"})
    assert rc == 3 and "nonexistent.sock" in err
