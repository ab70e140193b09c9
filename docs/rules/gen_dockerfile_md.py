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
shellcheck: false                   # bulwark's: no ShellCheck findings (as --no-shellcheck)
```

Command-line equivalents: `--disable ID` (or Hadolint's `--ignore ID`), `--trusted-registry R`,
`--require-label NAME[:TYPE]`, `--failure-threshold T`, `--no-fail`, `--no-shellcheck`.
Hadolint's `format`, `no-color`, `disable-ignore-pragma` and `verbose` keys are accepted and
not used.

## ShellCheck findings (`SCnnnn`)

As Hadolint does, `bulwark lint` gives every shell `RUN` (and `ONBUILD RUN`) script to
ShellCheck, from Debian's `shellcheck` package (any `shellcheck` on `PATH`). Each ShellCheck
comment is a finding whose id is its code (`SC2086`), with its message as the title, a link to
the ShellCheck wiki as the fix, and the severity Hadolint gives it: error HIGH, warning MEDIUM,
info LOW, style INFO. The location is the Dockerfile line and column the comment points to,
through continuation lines, dropped comment lines and heredoc bodies (Hadolint names the RUN's
first line).

- The script ShellCheck reads is the RUN's text as the shell sees it (continuations joined),
  after a shebang naming the `SHELL` in force (`/bin/sh` by default; bash, dash, ksh, ash and
  BusyBox sh are checked, PowerShell, `cmd.exe` and other interpreters are not) and `export
  NAME=1` lines for the proxy variables and every `ARG` and `ENV` name of the stage (a stage
  built `FROM` another keeps that stage's names and shell; any other `FROM` starts over). An
  `ONBUILD RUN` runs in a later build: it gets only the defaults. SC1090, SC1091 and SC2187 are
  left out, as Hadolint leaves them out.
- Not checked: exec-form RUNs (`RUN ["…"]`, as Hadolint), a RUN whose heredocs feed commands
  (ShellCheck would not see their bodies; a heredoc that is the whole script is checked), and
  a script over 64 KiB (a warning names it: ShellCheck's time grows quickly with size).
- `# hadolint ignore=SC2086` (or `# bulwark ignore=…`) above the RUN suppresses a code there,
  `# hadolint global ignore=SC2086` everywhere; `--disable SC2086` (`--ignore`, or `disable:`
  / `ignored:` in the file) drops it; `--no-shellcheck` (or `shellcheck: false`) drops them all.
- When no `shellcheck` is installed the RUN scripts are not checked and the report's warnings
  say so; the lint itself goes on.
- All RUN scripts of a Dockerfile go to one `shellcheck --format=json1` run (spread over up to
  four runs side by side for very large files, 64 to 512 scripts a run), and RUNs with the same
  script in the same scope are read once; bounded to 60 s and 64 MiB of output per run, past
  which a warning says the findings are missing. Only `bulwark lint` runs ShellCheck (other
  commands that lint a Dockerfile do not). Figures: [bench/RESULTS.md](../../bench/RESULTS.md).

## Differences from Hadolint

bulwark follows Hadolint's current rules (its `master` branch, DL3000–DL3067): the unit
tests run every passing and failing Dockerfile of Hadolint's own rule specs
(`tests/unit/lint/cases/hadolint.cases`, regenerated from a Hadolint checkout by
`tests/unit/lint/hadolint_cases.py`) and check that the finding carrying the DL id gives the
same verdict. Where bulwark differs on purpose, the case asserts bulwark's verdict and the
reason is listed here.

Verdicts of Hadolint's spec cases that bulwark does not share:

| Hadolint rule: case | bulwark | why |
|---|---|---|
| DL3002: a build stage ends with `USER root`, the final stage does not | no finding | only the final image's user matters: a build stage is not shipped |
| DL3009: cache mount over `/var/lib/apt` only, `docker-clean` removed | no finding | the mount keeps the lists out of the layer; the `.deb` cache is not this rule's concern |
| DL3020: `ADD file.gz` (`.bz2`, `.xz`) | BW-DF-013 fires | ADD unpacks tar archives only; a plain compressed file is copied as it is, so COPY serves |
| DL3022: `COPY --from=0` inside stage 0 | BW-DF-011 (DL3023) instead | the stage names itself |
| DL3025: `HEALTHCHECK CMD` in shell form | no finding | a health check command is no PID 1 and gets no signals: the exec-form reason does not apply |
| DL3038: `microdnf install` without `-y` | no finding | microdnf never asks (its `-y` does nothing) |
| DL3048: a label key with `$` | no finding | BuildKit expands the key; bulwark does not judge it as written |
| DL3057: final image `FROM scratch` without HEALTHCHECK | no finding | a scratch image has nothing to run a health check with unless the build adds it |
| DL4006: `SHELL ["/bin/sh", "-o", "pipefail", "-c"]` then a pipe | no finding | dash and BusyBox sh support `-o pipefail` (POSIX.1-2024) |

Other differences, outside Hadolint's spec cases:

- **Rules Hadolint removed.** DL3005, DL3017, DL3031 and DL3039 (upgrading every package in a
  build) are gone from Hadolint; bulwark keeps the checks (BW-DF-061–064, with Dockle's
  DKL-DI-0003) and their old ids, so existing ignore lists keep working.
- **Defaults.** Hadolint's DL1001 and DL3057 are at level `ignore` by default: BW-DF-040 is off
  by default too, but BW-DF-026 (no HEALTHCHECK, CIS 4.6) is on. Severities are bulwark's
  own (the table above); `--failure-threshold` maps Hadolint's levels to them.
- **Configuration-dependent specs** (DL3026's registries, the label schema of DL3049–DL3058) are
  not in the generated cases; the rules are implemented with the same configuration keys.
- **DL3064** is BW-DF-097, whose names come from the secret-name table the image checks share
  (BuildKit's SecretsUsedInArgOrEnv tokens, Trivy's DS031 names): names that hold no secret
  in Hadolint's list (`USERNAME`, `DOCKER_EMAIL`, `TRAVIS_OS_NAME`, `STRIPE_DEVICE_NAME`, anything
  containing `username` or `private`) are not flagged, and an ENV whose literal value cannot
  be a secret (empty, a path, a placeholder) is not flagged.
- **DL3010** (BW-DF-029) looks only at tar archives (what ADD unpacks), so COPY of a plain `.gz`
  then `gunzip` is not flagged; it also knows `tar xf` without a dash.
- **DL3028** (BW-DF-049) knows gem's options that take no value, so `gem install --no-document
  rails` flags `rails`; Hadolint reads every option as taking the next word.
- **DL3040** (BW-DF-056, -057) also counts `dnf update`, `groupinstall`, `localinstall` and `dnf
  group|module install`; only a clean, or a removal of `/var/cache/dnf`, `/var/cache/libdnf5` or
  `/var/cache/yum`, after the install counts (Hadolint takes any `rm -rf`, and wants the first
  clean after the first install).
- **DL3041** (BW-DF-045) knows dnf5's `in` and `rei` and `dnf5` itself, and never asks a group to
  be pinned (`groupinstall` included). A package list that is one variable (`dnf install
  $PKGS`) is not judged; a version from a variable (`git-$VERSION`) is pinned when an ARG or
  ENV above sets it.
- **DL3059** (BW-DF-034) does not count RUNs with heredocs, and counts the commands of `sh -c
  '…'` (Hadolint reads that string as one word).
- **DL3066** (BW-DF-100) accepts a USER whose variable is an ARG (as Hadolint) or an ENV that
  expands to a number.
- **ShellCheck**: positions are exact (above); `# hadolint shell=…` pragmas and severity
  overrides of SC codes are not read; Debian's ShellCheck (0.9 on Debian 12) may know fewer
  or other codes than the ShellCheck library built into a Hadolint release.

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
