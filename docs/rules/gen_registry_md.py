#!/usr/bin/env python3
"""Generate docs/rules/registry.md from the rule table of `bulwark audit registry`:
   python3 docs/rules/gen_registry_md.py build/src/cli/bulwark > docs/rules/registry.md"""
import json
import subprocess
import sys

HEAD = """# Registry hardening rules (`bulwark audit registry`)

Generated from the audit's rule table by `docs/rules/gen_registry_md.py`; `bulwark audit
registry --list [--format json]` prints the same table. [docs/registry.md](../registry.md)
explains the command and says what evidence decides each rule (a live probe of the registry,
its `config.yml`, or both).

"""


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "build/src/cli/bulwark"
    rules = json.loads(subprocess.run([exe, "audit", "registry", "--list", "--format", "json"],
                                      capture_output=True, check=True).stdout)
    out = [HEAD, "| id | severity | title |\n|---|---|---|\n"]
    for r in rules:
        out.append(f"| [{r['id']}](#{r['id'].lower()}) | {r['severity']} | {r['title']} |\n")
    out.append("\n")
    for r in rules:
        out.append(f"## {r['id']}\n\n**{r['title']}** — severity {r['severity']}\n\n")
        out.append(r["rationale"] + "\n\n")
        out.append("Fix: " + r["remediation"] + "\n\n")
    sys.stdout.write("".join(out))


if __name__ == "__main__":
    main()
