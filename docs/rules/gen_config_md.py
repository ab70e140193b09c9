#!/usr/bin/env python3
"""Generate docs/rules/config.md from the rule tables of src/iac:
   python3 docs/rules/gen_config_md.py build/src/cli/bulwark > docs/rules/config.md"""
import json
import subprocess
import sys

HEAD = """# Compose and Kubernetes rules (`bulwark config`)

Generated from the rule tables (`src/iac/rules_k8s_table.c`, `src/iac/rules_compose_table.c`)
by `docs/rules/gen_config_md.py`; every bad example below triggers its rule and every good
one does not (the unit tests check it). `bulwark config --list-rules` prints the same table;
[docs/config.md](../config.md) explains the command, baselines and fixes.

Each finding's `equivalent` field lists the ids other tools use for the same problem, so
ignore lists carry over (`--disable` and `.bulwarkignore` accept them too): Trivy's
Kubernetes checks (`KSV-0017` and the short `KSV017`), Kubesec's rule names
(`Privileged`, `RunAsNonRoot`, …), kube-score's check names (`container-resources`,
`pod-probes`, …) and, for compose, the CIS Docker Benchmark 5.x sections that check the
same setting on a running container (numbered as `bulwark audit` numbers them). For each
KSV id claimed here, Trivy's own failing and passing examples give the same verdict
(`tests/integration/test_config_peers.py`).

Every finding names the file, line and column of the offending key; a setting that is
missing is reported at the deepest key that exists on the way to it (the container's
`securityContext`, the service's name).

"""


def table(rules):
    out = ["| id | severity | title | equivalent |\n|---|---|---|---|\n"]
    for r in rules:
        out.append(f"| [{r['id']}](#{r['id'].lower()}) | {r['severity']} | {r['title']} | "
                   f"{', '.join(r['equivalent']) or '—'} |\n")
    return "".join(out) + "\n"


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "build/src/cli/bulwark"
    rules = json.loads(subprocess.run([exe, "config", "--list-rules", "--format", "json"],
                                      capture_output=True, check=True).stdout)
    k8s = [r for r in rules if r["target"] == "kubernetes"]
    compose = [r for r in rules if r["target"] == "compose"]
    out = [HEAD, "## Kubernetes\n\n", table(k8s), "## Compose\n\n", table(compose)]
    for r in k8s + compose:
        out.append(f"## {r['id']}\n\n**{r['title']}** — severity {r['severity']}")
        if not r["default_enabled"]:
            out.append(" (off by default)")
        out.append("\n\n")
        out.append("Equivalent ids: " + (", ".join(f"`{e}`" for e in r["equivalent"]) or "none (bulwark only)") + "\n\n")
        out.append(r["rationale"] + "\n\n")
        out.append("Bad:\n\n```yaml\n" + r["bad"] + "```\n\nGood:\n\n```yaml\n" + r["good"] + "```\n\n")
        out.append("Fix: " + r["remediation"] + "\n\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
