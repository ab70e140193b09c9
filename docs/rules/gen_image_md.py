#!/usr/bin/env python3
"""Generate docs/rules/image.md from the image rule table (src/imgcheck/rules.c):
   python3 docs/rules/gen_image_md.py > docs/rules/image.md"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]

HEAD = """# Image-configuration rules (`bulwark image --scanners config`)

Generated from the rule table (`src/imgcheck/rules.c`) by `docs/rules/gen_image_md.py`.
These rules look at a *built* image — its configuration, its history, its files in every
layer and its packages — where the [Dockerfile rules](dockerfile.md) look at the build
file. tests/images/config-* hold Dockerfiles whose images break and follow every rule;
tests/integration/test_image_config.py builds them with the real engine and checks each
rule both ways.

Each finding's `equivalent` field lists the ids other tools use for the same problem, so
ignore lists carry over: Dockle (`CIS-DI-nnnn`, `DKL-DI-nnnn`, `DKL-LI-nnnn`), the CIS
Docker Benchmark section 4 (`CIS-4.n`), and the Hadolint / Trivy id of the Dockerfile
habit that leads to it. Its `location` names the path, the layer (`diff_id`) that holds
the bytes and `in_final_image` — a private key or credential file deleted by a later
layer is still reported (`in_final_image: false`): its bytes ship with the image.
Evidence never repeats a secret: values are cut to two characters and a length.

## Using it

```
bulwark image docker:app:1.4 --scanners config            # an engine image
bulwark image app.tar --scanners config -f sarif         # docker save / OCI archives, OCI layouts
bulwark fs ./rootfs --scanners config                    # a root filesystem: the file rules only
bulwark image app:1.4 --scanners config --exit-code 1 --severity HIGH
```

With `--scanners config` alone the package rules (BW-IMG-021, -022) run their own package
inventory and the report lists no packages; with `packages` (or `vuln`) too they use the
report's. Images without a package database still get BW-IMG-022 from files (compilers,
make, git, Go toolchain, Maven/Gradle/Cargo/Go caches). Rules on the configuration and the
history (BW-IMG-001, -002, -011 to -018) need an image: `bulwark fs` skips them. A rule
reports at most 200 findings per image (a report warning says how many more there were).

Dockle checkpoints without an image equivalent here: CIS-DI-0002 (trusted base images),
CIS-DI-0004 (scan and rebuild: the `vuln` scanner) and CIS-DI-0005 (content trust: a
setting of the client, checked by `bulwark audit` and by BW-DF-003 on the Dockerfile) —
a built image does not record them.

## Rules

| id | severity | title | equivalent |
|---|---|---|---|
"""


def cstr(block, field):
    m = re.search(r"\." + field + r"\s*=\s*((?:\"(?:[^\"\\]|\\.)*\"\s*)+)(?:,|$)", block, re.S)
    if not m:
        return ""
    parts = re.findall(r"\"((?:[^\"\\]|\\.)*)\"", m.group(1))
    s = "".join(parts)
    return re.sub(r"\\(.)", lambda x: {"n": "\n", "t": "\t"}.get(x.group(1), x.group(1)), s)


def main():
    src = (ROOT / "src/imgcheck/rules.c").read_text()
    # rows: [IMG_X] = {"BW-IMG-nnn", .severity = ..., ...}, (the id positional, the rest designated)
    blocks = re.findall(r"\[IMG_[A-Z][A-Z_]*\]\s*=\s*\{(.*?)\},?\n(?=\s*\[IMG_|\};)", src, re.S)
    rules = []
    for b in blocks:
        eq = re.search(r"\.equivalent\s*=\s*\{([^}]*)\}", b).group(1)
        rules.append({
            "id": cstr(b, "id") or re.match(r'\s*"([^"]+)"', b).group(1),
            "severity": re.search(r"BW_SEV_([A-Z]+)", b).group(1),
            "title": cstr(b, "title"),
            "equivalent": re.findall(r"\"([^\"]+)\"", eq),
            "rationale": cstr(b, "rationale"),
            "bad": cstr(b, "bad"),
            "good": cstr(b, "good"),
            "remediation": cstr(b, "remediation"),
        })
    out = [HEAD]
    for r in rules:
        out.append(f"| [{r['id']}](#{r['id'].lower()}) | {r['severity']} | {r['title']} | {', '.join(r['equivalent']) or '—'} |\n")
    out.append("\n")
    for r in rules:
        out.append(f"### {r['id']}\n\n**{r['title']}** — {r['severity']}. Equivalent: "
                   f"{', '.join('`' + e + '`' for e in r['equivalent']) or 'none'}.\n\n")
        out.append(f"{r['rationale']}\n\n")
        lang = "sh" if r["bad"].startswith("docker ") else "dockerfile"
        out.append(f"Breaks it:\n\n```{lang}\n{r['bad'].rstrip()}\n```\n\nFollows it:\n\n```{lang}\n{r['good'].rstrip()}\n```\n\n")
        out.append(f"Remediation: {r['remediation']}\n\n")
    print("".join(out), end="")


if __name__ == "__main__":
    main()
