"""The live monitor in every CI run, kept to a few seconds: containers that start at the
same moment each get their alert, named by the container (alerts were lost when the
first record of a container came from a process already gone: its cgroup was taken for
the host's for good). The long live suites (test_monitor*.py) run with BW_LONG=1."""

import concurrent.futures
import os

import pytest

from monitorlib import Monitor, monitor_image, unique  # noqa: F401 (a fixture)

N_CONTAINERS = 6


def test_containers_started_together_each_get_their_alert(bulwark, docker, monitor_image, tmp_path):
    # (monitorlib's needs_kernel_monitor starts a monitor of its own: Monitor.wait_ready
    # skips a build without the eBPF source just as well, without the second start)
    if os.geteuid() != 0 or not os.path.exists("/sys/kernel/btf/vmlinux"):
        pytest.skip("the eBPF event source needs root and a kernel with BTF")
    m = Monitor(bulwark, ["--stats-interval", "1h", "--no-image-drift"], tmp_path / "mon")
    names = [unique(f"together-{i}") for i in range(N_CONTAINERS)]
    try:
        m.wait_ready()

        def run(name):
            docker.cli("run", "--rm", "--network", "none", "--name", name, monitor_image, "cat", "/etc/shadow",
                       check=False, input="", timeout=600)

        with concurrent.futures.ThreadPoolExecutor(max_workers=N_CONTAINERS) as pool:
            list(pool.map(run, names))
        for name in names:
            a = m.wait_alert(container=name, id="BW-RT-012")
            assert a["container"]["image"] == monitor_image
            assert a["output_fields"]["fd.name"] == "/etc/shadow"
    finally:
        rc = m.stop()
        for name in names:
            docker.cli("rm", "-f", name, check=False)
    assert rc == 0, m.stderr()
    final = [s for s in m.stats() if s.get("final")]
    assert final and final[-1]["decode_errors"] == 0, final
