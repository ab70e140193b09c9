#!/usr/bin/env python3
"""Generate docs/rules/dockerfile.md from the rule table:
   python3 docs/rules/gen_dockerfile_md.py build/src/cli/bulwark > docs/rules/dockerfile.md"""
import json
import subprocess
import sys

HEAD = """# Dockerfile rules (`bulwark lint`)

Generated from the rule table (`src/lint/rules.c`) by `docs/rules/gen_dockerfile_md.py`;
every bad example below triggers its rule and every good one does not (the unit tests
check it). `bulwark lint --list-rules` prints the same table.

Each finding's `equivalent` field lists the ids other tools use for the same problem, so
ignore lists carry over: Hadolint (`DLnnnn`), Trivy (`DSnnn`; `DS-0nnn` and `AVD-DS-0nnn`
are accepted too), Dockle (`CIS-DI-nnnn`, `DKL-DI-nnnn`, `DKL-LI-nnnn`), the CIS Docker
Benchmark section 4 (`CIS-4.n`) and BuildKit's build checks (by name).

## Using it

```
bulwark lint Dockerfile                      # table
bulwark lint -f json Dockerfile other/Dockerfile
bulwark lint -f sarif -o lint.sarif Dockerfile   # SARIF 2.1.0 with line/column regions
cat Dockerfile | bulwark lint -                 # standard input
bulwark lint --failure-threshold warning Dockerfile   # exit 1 on MEDIUM and above
bulwark lint -f compact Dockerfile              # Dockerfile:3:5: medium BW-DF-042 ...
bulwark lint -f gitlab-codequality -o gl-code-quality-report.json Dockerfile
bulwark lint --ignore DL3008 Dockerfile         # Hadolint's name for --disable
```

Exit status, as Hadolint's: 1 when an unsuppressed finding is at or above the failure
threshold, else 0. The threshold is `--failure-threshold T` (`-t T`), else the
`failure-threshold` of the Hadolint configuration file, else `info`; `--no-fail` (or
`no-fail: true` in the file, unless `-t` is given) always exits 0. Hadolint's level names
map to bulwark's severities the way its rules' levels do:

| `--failure-threshold` | fails on |
|---|---|
| `error` | HIGH, CRITICAL |
| `warning` | MEDIUM and above |
| `info` (default) | LOW and above |
| `style` | INFO and above |
| `ignore`, `none` | nothing |
| `CRITICAL` … `UNKNOWN` | that severity and above |

With `--exit-code N` the threshold is not used: N when findings at or above `--severity`
remain (every other command's convention). 2 for a usage error (including a bad
configuration file), 3 when a file could not be read or parsed at all. A file that cannot
be parsed — not UTF-8 text (binary), over 16 MiB, more than 65,536 instructions, a
duplicated or invalid parser directive, an unterminated heredoc, no instruction — is
reported with `file:line:column` on standard error and in the report's `warnings`; the
other files are still linted and reported, and the exit status is 3. Problems confined to
one instruction (unknown instruction, unknown flag, wrong argument count, invalid JSON
array) are findings (BW-DF-035, -036, -037) and do not stop the file. Variable expansion has
a budget per file: expansions may add at most 16 MiB to the text (a chain of `ARG
V2=$V1$V1` lines doubles a value per line), and stages may inherit at most 500,000 ENV
variables in all; past either, a warning names the line, values from there on are left as
written and later stages inherit nothing.

## Inline ignores

A comment right above an instruction suppresses rules for that instruction:

```
# bulwark ignore=BW-DF-072,DL3004
RUN cd /src && sudo make install
```

`# hadolint ignore=DL3008` works the same way, and `# bulwark global ignore=…` (or
`# hadolint global ignore=…`) anywhere suppresses rules in the whole file. Trivy's
`#trivy:ignore:ID` (`AVD-DS-0002`, `DS002` or any peer id; `#trivy:ignore:ID:exp:YYYY-MM-DD`
stops ignoring on that date) on the lines right above an instruction ignores that rule
there; several such lines add up. Suppressed
findings stay in the report with status `suppressed` and `suppressed_by` (SARIF:
`suppressions`), and do not count for `--exit-code`.

## Configuration (`-c`/`--config FILE`, YAML: Hadolint's file)

Without `-c`, lint reads Hadolint's configuration file where Hadolint finds it, the first
that exists of: `./.hadolint.yaml` (or `.yml`), `$XDG_CONFIG_HOME/hadolint.yaml` (when
`XDG_CONFIG_HOME` is unset: `~/.config`), `~/.config/hadolint.yaml`,
`~/.hadolint/hadolint.yaml`, `~/.hadolint/config.yaml`, `~/.hadolint.yaml` (each `.yml`
too). The options of the command line come first and the file adds to them. bulwark's own
configuration (`bulwark.yaml`, see [configuration.md](../configuration.md)) is named with
`--bulwark-config` for lint, since `-c` is Hadolint's.

```yaml
disable: [DL3008, BW-DF-003]        # also: ignored (hadolint)
enable: [BW-DF-040]                 # rules that are off by default
severity: {DL3015: HIGH}            # also hadolint's override: {error: [...], warning: [...]}
trusted-registries: [docker.io, "*.corp.example"]   # also trustedRegistries
required-labels: {org.opencontainers.image.source: url}   # or a list of names
label-schema: {org.opencontainers.image.version: semver}  # types: text url semver hash spdx rfc3339 email
strict-labels: true
failure-threshold: warning          # error | warning | info | style | ignore | none
no-fail: false
```

Command-line equivalents: `--disable ID` (or Hadolint's `--ignore ID`), `--trusted-registry R`,
`--require-label NAME[:TYPE]`, `--failure-threshold T`, `--no-fail`. Hadolint's `format`,
`no-color`, `disable-ignore-pragma` and `verbose` keys are accepted and not used.

## Rules

| id | severity | title | equivalent |
|---|---|---|---|
"""

def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "build/src/cli/bulwark"
    rules = json.loads(subprocess.run([exe, "lint", "--list-rules", "--format", "json"],
                                      capture_output=True, check=True).stdout)
    out = [HEAD]
    for r in rules:
        out.append(f"| [{r['id']}](#{r['id'].lower()}) | {r['severity']} | {r['title']} | {', '.join(r['equivalent']) or '—'} |\n")
    out.append("\n")
    for r in rules:
        out.append(f"## {r['id']}\n\n**{r['title']}** — severity {r['severity']}")
        if not r["default_enabled"]:
            out.append(" (off by default: `enable: [" + r["id"] + "]`)")
        out.append("\n\n")
        out.append("Equivalent ids: " + (", ".join(f"`{e}`" for e in r["equivalent"]) or "none (bulwark only)") + "\n\n")
        out.append(r["rationale"] + "\n\n")
        out.append("Bad:\n\n```dockerfile\n" + r["bad"] + "```\n\nGood:\n\n```dockerfile\n" + r["good"] + "```\n\n")
        out.append("Fix: " + r["remediation"] + "\n\n")
    sys.stdout.write("".join(out))

if __name__ == "__main__":
    main()
