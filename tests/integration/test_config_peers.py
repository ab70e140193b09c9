"""Differential test against Trivy's own examples of its Kubernetes checks.

For every KSV id a bulwark rule claims in `equivalent` and Trivy ships examples of
(tests/data/trivy-checks/kubernetes/, see its README), each failing example must give a
finding carrying that KSV id and each passing example none: the same verdict as Trivy.
"""
import os

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "trivy-checks", "kubernetes")

# file -> the check's id (from the METADATA of its .rego beside it upstream)
CHECKS = {
    "CPU_not_limited": "KSV-0011",
    "CPU_requests_not_specified": "KSV-0015",
    "SYS_ADMIN_capability": "KSV-0005",
    "access_to_host_ports": "KSV-0024",
    "apparmor_policy_disabled": "KSV-0002",
    "can_elevate_its_own_privileges": "KSV-0001",
    "capabilities_no_drop_all": "KSV-0003",
    "configMap_with_secrets": "KSV-0109",
    "file_system_not_read_only": "KSV-0014",
    "host_ipc": "KSV-0008",
    "host_network": "KSV-0009",
    "host_pid": "KSV-0010",
    "hostpath_volumes_mounted": "KSV-0023",
    "memory_not_limited": "KSV-0018",
    "memory_requests_not_specified": "KSV-0016",
    "mounts_docker_socket": "KSV-0006",
    "non_default_proc_masks_set": "KSV-0027",
    "privileged": "KSV-0017",
    "protect_core_components_namespace": "KSV-0037",
    "protecting_pod_service_account_tokens": "KSV-0036",
    "runs_as_root": "KSV-0012",
    "runs_with_GID_le_10000": "KSV-0021",
    "runs_with_UID_le_10000": "KSV-0020",
    "runtime_default_seccomp_profile_not_set": "KSV-0030",
    "selinux_custom_options_set": "KSV-0025",
    "specific_capabilities_added": "KSV-0022",
    "unsafe_sysctl_options_set": "KSV-0026",
    "uses_image_tag_latest": "KSV-0013",
}


def claimed(bulwark):
    ids = set()
    for rule in bulwark.json(["config", "--list-rules", "-f", "json"]):
        ids.update(rule["equivalent"])
    return ids


def examples():
    for name, ksv in sorted(CHECKS.items()):
        with open(os.path.join(DATA, name + ".yaml")) as f:
            doc = yaml.safe_load(f)["kubernetes"]
        for verdict in ("bad", "good"):
            for i, text in enumerate(doc.get(verdict, [])):
                yield pytest.param(ksv, verdict, text, id=f"{ksv}-{verdict}-{i}")


def test_every_fixture_is_claimed(bulwark):
    ids = claimed(bulwark)
    missing = sorted(k for k in CHECKS.values() if k not in ids)
    assert not missing, f"fixtures kept for KSV ids no rule claims: {missing}"


@pytest.mark.parametrize("ksv,verdict,text", list(examples()))
def test_same_verdict_as_trivy(bulwark, tmp_path, ksv, verdict, text):
    p = tmp_path / "manifest.yaml"
    p.write_text(text)
    report = bulwark.json(["config", "-f", "json", p])
    hits = [f for f in report["findings"] if ksv in f.get("equivalent", [])]
    if verdict == "bad":
        assert hits, f"{ksv}: Trivy's failing example gives no finding"
        for f in hits:
            assert f["location"]["path"] == str(p) and f["location"]["line"] >= 1
    else:
        assert not hits, f"{ksv}: Trivy's passing example gives {[(f['id'], f['evidence']) for f in hits]}"
