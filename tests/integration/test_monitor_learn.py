"""Learned behaviour: `bulwark monitor --learn --image IMAGE --for DUR` records what the
image's containers do into the layer cache's database; `bulwark profile IMAGE --seccomp`
and `--caps` turn it into least privilege, checked here by running the same workload again
under `docker run --security-opt seccomp=PROFILE --cap-drop ALL --cap-add …` (it works)
and a syscall outside the profile (refused); `bulwark monitor --drift` then raises drift
alerts with an explained anomaly score."""

import json
import os
import pathlib

import pytest

from monitorlib import Monitor, needs_kernel_monitor, unique, live_suite

pytestmark = live_suite

WORKLOAD = "echo hello > /tmp/f; cat /tmp/f; ls / > /dev/null; id"


@pytest.fixture(scope="module")
def learn_image(docker, tiny_image, tmp_path_factory):
    d = tmp_path_factory.mktemp("learn-image")
    tag = f"bwtest/monitor-learn:{os.getpid()}"
    (d / "Dockerfile").write_text(f"FROM {tiny_image}\nLABEL org.bulwark.test.learn={os.getpid()}\n")
    docker.build_image(tag, d)
    yield tag
    docker.cli("rmi", "-f", tag, check=False)


def learn(bulwark, docker, image, tmp, runs=2, seconds=25):
    m = Monitor(bulwark, ["--learn", "--image", image, "--for", f"{seconds}s"], tmp, containers_only=False)
    m.wait_ready()
    for i in range(runs):
        p = docker.cli("run", "--rm", "--network", "none", "--name", unique(f"learn{i}"), image, "sh", "-c", WORKLOAD,
                       input="")
        assert "hello" in p.stdout
    rc = m.stop_when_done()
    assert rc == 0, m.stderr()
    assert "profile of sha256:" in m.stderr()
    return m


def test_learn_profile_seccomp_caps_drift(bulwark, docker, learn_image, tmp_path):
    needs_kernel_monitor(bulwark)
    learn(bulwark, docker, learn_image, tmp_path / "learn")

    prof = bulwark.json(["profile", learn_image, "--format", "json"])
    assert prof["schema"] == "bulwark.profile/v1"
    assert prof["image"]["id"] == docker.image_id(learn_image)
    assert learn_image in prof["image"]["names"]
    assert prof["sessions"] == 1 and prof["learned_seconds"] > 0
    assert "/bin/busybox" in prof["executables"]
    assert "/tmp/f" in prof["files_written"]
    for sc in ("execve", "openat", "write"):
        assert prof["syscalls"].get(sc, 0) > 0, sc
    # the runtime's own set-up (mounts, pivot_root, its /proc writes) is not the image's
    assert "pivot_root" not in prof["syscalls"] and "mount" not in prof["syscalls"]
    assert not any(p.startswith("/proc/") for p in prof["files_written"])
    # root's memory accounting probes CAP_SYS_ADMIN on every mmap: a probe, not a use
    assert "CAP_SYS_ADMIN" not in prof["capabilities"]

    seccomp = tmp_path / "seccomp.json"
    rc, _, err = bulwark.run(["profile", learn_image, "--seccomp", "-o", seccomp])
    assert rc == 0, err
    sp = json.loads(seccomp.read_text())
    assert sp["defaultAction"] == "SCMP_ACT_ERRNO"
    allowed = set(sp["syscalls"][0]["names"])
    assert set(prof["syscalls"]) <= allowed
    assert "mkdir" not in allowed and "mkdirat" not in allowed

    rc, caps_out, err = bulwark.run(["profile", learn_image, "--caps"])
    assert rc == 0, err
    caps = caps_out.split()
    cap_args = []
    for c in caps:
        cap_args += ["--cap-add", c[len("CAP_"):]]

    # the learned workload runs under what was learned
    p = docker.cli("run", "--rm", "--network", "none", "--security-opt", f"seccomp={seccomp}", "--cap-drop", "ALL",
                   *cap_args, learn_image, "sh", "-c", WORKLOAD, check=False, input="")
    assert p.returncode == 0, p.stderr
    assert "hello" in p.stdout and "uid=0(root)" in p.stdout
    # a syscall it never made is refused
    p = docker.cli("run", "--rm", "--network", "none", "--security-opt", f"seccomp={seccomp}", "--cap-drop", "ALL",
                   *cap_args, learn_image, "sh", "-c", "mkdir /tmp/d", check=False, input="")
    assert p.returncode != 0
    assert "Operation not permitted" in p.stderr

    # drift: what the image never did while learning
    name = unique("drift")
    m = Monitor(bulwark, ["--drift", "--rules", pathlib.Path(__file__).parent / "monitor" / "empty_rules.yaml"],
                tmp_path / "drift")
    m.wait_ready()
    try:
        docker.cli("run", "--rm", "--network", "none", "--name", name, learn_image, "sh", "-c",
                   WORKLOAD + "; cp /bin/busybox /tmp/tool; /tmp/tool true; mkdir /tmp/d", check=False, input="")
        ex = m.wait_alert(type="drift", container=name, id="BW-DRIFT-EXEC")
        sc = m.wait_alert(type="drift", container=name, id="BW-DRIFT-SYSCALL")
    finally:
        m.stop()
    assert ex["kind"] == "runtime"
    assert ex["anomaly"]["score"] == 1.0 and ex["anomaly"]["item"] == "/tmp/tool"
    assert ex["anomaly"]["seen_while_learning"] == 0
    assert ex["output"].startswith("first exec of /tmp/tool in ") and "of learning" in ex["output"]
    assert sc["anomaly"]["item"] in ("mkdir", "mkdirat")
    # what the workload did while learning raises nothing
    items = {a["anomaly"]["item"] for a in m.alerts(type="drift", container=name)}
    assert "/bin/busybox" not in items and "/tmp/f" not in items

    # learning again adds up
    learn(bulwark, docker, learn_image, tmp_path / "learn2", runs=1, seconds=15)
    prof2 = bulwark.json(["profile", learn_image, "--format", "json"])
    assert prof2["sessions"] == 2
    assert prof2["executables"]["/bin/busybox"] > prof["executables"]["/bin/busybox"]
    assert prof2["learned_seconds"] > prof["learned_seconds"]


def test_profile_of_an_image_never_learned(bulwark, docker, tiny_image):
    rc, out, err = bulwark.run(["profile", tiny_image, "--seccomp"])
    assert rc == 3
    assert "nothing was learned for image" in err and "--learn" in err


def test_profile_usage_errors(bulwark):
    assert bulwark.run(["profile"])[0] == 2
    assert bulwark.run(["profile", "a", "b"])[0] == 2
    assert bulwark.run(["profile", "a", "--seccomp", "--caps"])[0] == 2
    assert bulwark.run(["monitor", "--learn"])[0] == 2
    assert bulwark.run(["monitor", "--image", "x"])[0] == 2
    assert bulwark.run(["monitor", "--learn", "--image", "x"])[0] == 2
    assert bulwark.run(["monitor", "--for", "10m"])[0] == 2
    assert bulwark.run(["monitor", "--learn", "--image", "x", "--for", "1m", "--drift"])[0] == 2
