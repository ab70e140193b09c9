"""What a CI pipeline configures, end to end: bulwark.yaml (global keys, a command's
section, --config, $BULWARK_CONFIG, unknown keys naming file and line) and
BULWARK_<OPTION> variables, with flags > env > file; long options only in full (no
getopt abbreviations) for every option of every command; lint's Hadolint-style gate
(--failure-threshold, --no-fail, .hadolint.yaml found where Hadolint looks); Trivy's
ignore files (.trivyignore with AVD ids, .trivyignore.yaml) and #trivy:ignore
comments."""

import concurrent.futures
import json
import os

import pytest
from conftest import Bulwark, _bulwark_at

BAD = "FROM debian\nRUN apt-get install -y curl\n"  # HIGH BW-DF-004, MEDIUM 001/042, LOW ...
ONLY_LOW = "FROM debian:12\nUSER 1000\nHEALTHCHECK NONE\n"  # LOW BW-DF-003 (digest) only


@pytest.fixture
def df(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text(BAD)
    return f


def env_without_bulwark(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BULWARK_") or k == "BULWARK_RELEASE"}
    env.update(extra)
    return env


def lint(bulwark, *args, cwd=None, env=None):
    return bulwark.run(["lint", *args], cwd=cwd, env=env)


def ids(out):
    return {f["id"] for f in json.loads(out)["findings"] if f["status"] != "suppressed"}


# ------------------------------------------------------------------ bulwark.yaml and BULWARK_*


def test_config_file_global_and_section_keys(bulwark, df, tmp_path):
    (tmp_path / "bulwark.yaml").write_text(
        "severity: HIGH\n"
        "lint:\n"
        "  format: json\n"
        "  disable: [DL3006, BW-DF-042]\n"
        "  no-fail: true\n")
    rc, out, err = lint(bulwark, "Dockerfile", cwd=tmp_path)
    assert rc == 0, err
    doc = json.loads(out)  # format from the section
    assert "BW-DF-001" not in ids(out) and "BW-DF-042" not in ids(out)  # a list: one --disable each
    assert all(f["severity"] in ("HIGH", "CRITICAL") for f in doc["findings"])  # the global severity


def test_precedence_flags_over_env_over_file(bulwark, df, tmp_path):
    (tmp_path / "bulwark.yaml").write_text("format: json\nseverity: CRITICAL\n")
    env = env_without_bulwark()
    rc, out, _ = lint(bulwark, "Dockerfile", cwd=tmp_path, env=env)
    assert json.loads(out)["findings"] == []  # file: CRITICAL, nothing that high
    env["BULWARK_SEVERITY"] = "HIGH"
    rc, out, _ = lint(bulwark, "Dockerfile", cwd=tmp_path, env=env)
    assert ids(out) == {"BW-DF-004"}  # env over file
    rc, out, _ = lint(bulwark, "--severity", "MEDIUM", "Dockerfile", cwd=tmp_path, env=env)
    assert ids(out) >= {"BW-DF-004", "BW-DF-001"} and "BW-DF-003" not in ids(out)  # flag over env
    env["BULWARK_EXIT_CODE"] = "9"
    rc, out, _ = lint(bulwark, "Dockerfile", cwd=tmp_path, env=env)
    assert rc == 9
    rc, out, _ = lint(bulwark, "--exit-code", "0", "--no-fail", "Dockerfile", cwd=tmp_path, env=env)
    assert rc == 0
    env["BULWARK_QUIET"] = "maybe"
    rc, _, err = lint(bulwark, "Dockerfile", cwd=tmp_path, env=env)
    assert rc == 2 and "BULWARK_QUIET" in err


def test_env_list_options_split_at_commas_and_unknown_variables_are_not_read(bulwark, df, tmp_path):
    env = env_without_bulwark(BULWARK_DISABLE="DL3006,BW-DF-042", BULWARK_NO_SUCH_OPTION="x",
                              BULWARK_FORMAT="json", BULWARK_NO_FAIL="1")
    rc, out, err = lint(bulwark, str(df), env=env)
    assert rc == 0, err
    assert not ({"BW-DF-001", "BW-DF-042"} & ids(out)) and "BW-DF-004" in ids(out)
    # a command-line --disable replaces the variable's list
    rc, out, err = lint(bulwark, "--disable", "BW-DF-004", str(df), env=env)
    assert "BW-DF-004" not in ids(out) and "BW-DF-001" in ids(out)


def test_unknown_keys_are_errors_naming_file_and_line(bulwark, df, tmp_path):
    cfg = tmp_path / "bulwark.yaml"
    cfg.write_text("severity: HIGH\nseverty: LOW\n")
    rc, _, err = lint(bulwark, "Dockerfile", cwd=tmp_path)
    assert rc == 2 and "bulwark.yaml:2:" in err and "severty" in err
    # a command's section is checked against that command, even when another runs
    cfg.write_text("image:\n  scanners: [vuln, secret]\n  ignore-unfixd: true\n")
    rc, _, err = lint(bulwark, "Dockerfile", cwd=tmp_path)
    assert rc == 2 and "bulwark.yaml:3:" in err and "'bulwark image'" in err
    cfg.write_text("lint:\n  scanners: [vuln]\n")  # an option of image, not of lint
    rc, _, err = lint(bulwark, "Dockerfile", cwd=tmp_path)
    assert rc == 2 and "bulwark.yaml:2:" in err
    cfg.write_text("severity: [HIGH\n")
    rc, _, err = lint(bulwark, "Dockerfile", cwd=tmp_path)
    assert rc == 2 and "bulwark.yaml:" in err
    cfg.write_text("quiet: perhaps\n")
    rc, _, err = lint(bulwark, "Dockerfile", cwd=tmp_path)
    assert rc == 2 and "bulwark.yaml:1:" in err
    cfg.write_text("severity: NOPE\n")
    rc, _, err = lint(bulwark, "Dockerfile", cwd=tmp_path)
    assert rc == 2 and "NOPE" in err and "bulwark.yaml:1" in err  # the value's origin is named


def test_config_option_and_variable_name_the_file(bulwark, df, tmp_path):
    other = tmp_path / "ci.yaml"
    other.write_text("format: json\nseverity: HIGH\n")
    (tmp_path / "bulwark.yaml").write_text("format: sarif\n")
    rc, out, err = bulwark.run(["fs", "--config", other, "--scanners", "secret", str(tmp_path)], cwd=tmp_path)
    assert rc == 0, err and json.loads(out)["schema"]
    env = env_without_bulwark(BULWARK_CONFIG=str(other))
    rc, out, err = lint(bulwark, "--no-fail", "Dockerfile", cwd=tmp_path, env=env)
    assert ids(out) == {"BW-DF-004"}
    # lint keeps Hadolint's -c/--config; the bulwark file is --bulwark-config there
    rc, out, err = lint(bulwark, "--bulwark-config", other, "--no-fail", "Dockerfile", cwd=tmp_path)
    assert ids(out) == {"BW-DF-004"}
    rc, _, err = bulwark.run(["fs", "--config", tmp_path / "missing.yaml", str(tmp_path)])
    assert rc == 3 and "missing.yaml" in err
    # a usage error of the command line comes first
    rc, _, err = bulwark.run(["fs", "--config", tmp_path / "missing.yaml", "--no-such", str(tmp_path)])
    assert rc == 2 and "--no-such" in err and "missing.yaml" not in err


def test_image_section_scan_options_do_not_break_image_inspect(bulwark, tiny_image, save, tmp_path):
    (tmp_path / "bulwark.yaml").write_text("image:\n  scanners: [secret]\n  format: json\n")
    rc, out, err = bulwark.run(["image", "inspect", save(tiny_image)], cwd=tmp_path)
    assert rc == 0, err
    assert json.loads(out)  # the section's format applies
    rc, out, err = bulwark.run(["image", save(tiny_image)], cwd=tmp_path)
    assert rc == 0, err
    assert json.loads(out)["target"]["type"] == "image"


def test_registry_lists_from_the_file_and_the_environment(bulwark, tmp_path):
    missing = str(tmp_path / "missing.tar")
    # image-src is a comma list: the YAML list is joined (one --image-src each would keep 'engine')
    (tmp_path / "bulwark.yaml").write_text("image:\n  image-src: [bogus, engine]\n")
    rc, _, err = bulwark.run(["image", "inspect", missing], cwd=tmp_path)
    assert rc == 2 and "'bogus'" in err, err
    (tmp_path / "bulwark.yaml").unlink()
    # insecure-registry is repeatable: the variable is split at commas, each host checked
    env = env_without_bulwark(BULWARK_INSECURE_REGISTRY="localhost:5000,ci.example:5000")
    rc, _, err = bulwark.run(["image", "inspect", missing], cwd=tmp_path, env=env)
    assert rc != 2 and "missing.tar" in err, err
    env["BULWARK_INSECURE_REGISTRY"] = "localhost:5000,bad host"
    rc, _, err = bulwark.run(["image", "inspect", missing], cwd=tmp_path, env=env)
    assert rc == 2 and "'bad host'" in err and "BULWARK_INSECURE_REGISTRY" in err, err
    # registry ls has a section of its own; image-src is no option of it, so the global key
    # leaves it alone
    (tmp_path / "bulwark.yaml").write_text("image-src: registry\nregistry:\n  timeout: soon\n")
    rc, _, err = bulwark.run(["registry", "ls", "127.0.0.1:1"], cwd=tmp_path)
    assert rc == 2 and "soon" in err and "bulwark.yaml:3" in err, err


# ------------------------------------------------------------------ no abbreviations


def command_options(bulwark):
    rc, out, err = bulwark.run(["--help"])
    section = out.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    names = [l.split()[0] for l in section.splitlines() if l.split()[0] != "help"]
    opts = {}
    for cmd in names:
        rc, out, err = bulwark.run(["help", "--options", cmd])
        assert rc == 0, err
        opts[cmd] = out.split()
    return opts


def test_every_long_option_is_only_accepted_in_full(bulwark, tmp_path):
    """About a thousand runs: the release build when there is one (the option parser is the
    same code; the ASan build costs ~70 ms a start), several at a time."""
    release = _bulwark_at("BULWARK_RELEASE", "build/src/cli/bulwark")
    runner = Bulwark(release) if release.is_file() and os.access(release, os.X_OK) else bulwark
    opts = command_options(bulwark)
    assert "ignorefile=" in opts["lint"] and "scanners=" in opts["image"] and len(opts) >= 9
    assert all("help" in names for names in opts.values()), opts  # every command's table is known
    cases = []
    for cmd, names in opts.items():
        full = {n.rstrip("=") for n in names}
        for n in names:
            name = n.rstrip("=")
            for cut in range(max(1, len(name) - 3), len(name)):
                prefix = name[:cut]
                if prefix in full:
                    continue
                cases.append((cmd, f"--{prefix}=x" if n.endswith("=") else f"--{prefix}"))

    def run(case):
        cmd, arg = case
        return case, runner.run([cmd, arg, str(tmp_path / "nothing")])

    with concurrent.futures.ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1)) as pool:
        for (cmd, arg), (rc, out, err) in pool.map(run, cases):
            assert rc == 2, (cmd, arg, rc, err)
            assert "unknown option" in err, (cmd, arg, err)
    assert len(cases) > 100


def test_short_option_clusters_and_values_that_look_like_options(bulwark, df, tmp_path):
    # a long cluster of short flags (each one a name the configuration loader records)
    (tmp_path / "bulwark.yaml").write_text("format: json\n")
    rc, out, err = lint(bulwark, "-qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", "--no-fail", "Dockerfile", cwd=tmp_path)
    assert rc == 0 and json.loads(out)["findings"], err
    # -f on the command line beats the file's format, in every spelling
    for args in (["-fcompact"], ["-f", "compact"], ["--format=compact"], ["-qfcompact"]):
        rc, out, err = lint(bulwark, *args, "--no-fail", "Dockerfile", cwd=tmp_path)
        assert rc == 0 and out.startswith("Dockerfile:"), (args, out, err)


def test_lint_ignore_is_hadolints_disable_not_ignorefile(bulwark, df):
    rc, out, err = lint(bulwark, "--ignore", "DL3008", "-f", "json", str(df))
    assert rc == 1, err
    assert "BW-DF-042" not in ids(out) and "BW-DF-004" in ids(out)
    rc, out, err = lint(bulwark, "--ignore=DL3002", "--ignore", "DL3006", "-f", "json", str(df))
    assert not ({"BW-DF-004", "BW-DF-001"} & ids(out))


# ------------------------------------------------------------------ lint's failure threshold


def test_lint_fails_at_the_threshold_as_hadolint_does(bulwark, df, tmp_path):
    assert lint(bulwark, str(df))[0] == 1  # default: info (LOW) and above
    low = tmp_path / "low"
    low.write_text(ONLY_LOW)
    assert lint(bulwark, str(low))[0] == 1
    assert lint(bulwark, "--failure-threshold", "warning", str(low))[0] == 0
    assert lint(bulwark, "-t", "error", str(df))[0] == 1  # BW-DF-004 is HIGH (error)
    assert lint(bulwark, "-t", "CRITICAL", str(df))[0] == 0
    assert lint(bulwark, "-t", "ignore", str(df))[0] == 0
    assert lint(bulwark, "-t", "none", str(df))[0] == 0
    assert lint(bulwark, "--no-fail", str(df))[0] == 0
    rc, _, err = lint(bulwark, "-t", "sometimes", str(df))
    assert rc == 2 and "sometimes" in err
    # --exit-code keeps its meaning: N at or above --severity
    assert lint(bulwark, "--exit-code", "5", "--severity", "CRITICAL", str(df))[0] == 0
    assert lint(bulwark, "--exit-code", "5", str(df))[0] == 5
    # suppressed findings never fail
    ig = tmp_path / "ign"
    ig.write_text("BW-DF-003\n")
    assert lint(bulwark, "--ignorefile", ig, str(low))[0] == 0


def test_hadolint_config_is_found_where_hadolint_looks(bulwark, tmp_path):
    work, home, xdg = tmp_path / "work", tmp_path / "home", tmp_path / "xdg"
    for d in (work, home / ".config", home / ".hadolint", xdg):
        d.mkdir(parents=True)
    (work / "Dockerfile").write_text(ONLY_LOW)
    env = env_without_bulwark(HOME=str(home))
    env.pop("XDG_CONFIG_HOME", None)

    def rc():
        return lint(bulwark, "Dockerfile", cwd=work, env=env)[0]

    assert rc() == 1
    (home / ".hadolint.yaml").write_text("failure-threshold: warning\n")
    assert rc() == 0  # the last place Hadolint looks
    (home / ".hadolint" / "config.yaml").write_text("failure-threshold: style\n")
    assert rc() == 1  # ~/.hadolint/ before ~/.hadolint.yaml
    (home / ".config" / "hadolint.yaml").write_text("failure-threshold: error\n")
    assert rc() == 0  # ~/.config before ~/.hadolint/
    env["XDG_CONFIG_HOME"] = str(xdg)
    (xdg / "hadolint.yml").write_text("failure-threshold: info\n")
    assert rc() == 1  # $XDG_CONFIG_HOME before ~/.config
    (work / ".hadolint.yaml").write_text("failure-threshold: warning\nignored: [DL3006]\n")
    assert rc() == 0  # the working directory first
    (work / ".hadolint.yaml").write_text("no-fail: true\n")
    assert rc() == 0
    assert lint(bulwark, "-t", "style", "Dockerfile", cwd=work, env=env)[0] == 1  # the flag wins
    # an explicit -c replaces the search
    (work / "strict.yaml").write_text("failure-threshold: style\n")
    assert lint(bulwark, "-c", "strict.yaml", "Dockerfile", cwd=work, env=env)[0] == 1
    (work / ".hadolint.yaml").write_text("failure-threshold: sometimes\n")
    r, _, err = lint(bulwark, "Dockerfile", cwd=work, env=env)
    assert r == 2 and ".hadolint.yaml:1" in err


# ------------------------------------------------------------------ Trivy's ignore files


def test_trivyignore_avd_ids_are_read_from_the_working_directory(bulwark, df, tmp_path):
    (tmp_path / ".trivyignore").write_text("# root is needed here\nAVD-DS-0002\nDS-0029\n")
    rc, out, err = lint(bulwark, "-f", "json", "Dockerfile", cwd=tmp_path)
    doc = json.loads(out)
    st = {f["id"]: f for f in doc["findings"]}
    assert st["BW-DF-004"]["status"] == "suppressed"  # DS002
    assert st["BW-DF-004"]["suppressed_by"] == ".trivyignore:2: root is needed here"
    assert st["BW-DF-052"]["status"] == "suppressed"  # DS029
    assert st["BW-DF-001"]["status"] == "fail"


def test_trivyignore_yaml_sections_paths_and_expiry(bulwark, df, tmp_path):
    (tmp_path / ".trivyignore.yaml").write_text(
        "misconfigurations:\n"
        "  - id: AVD-DS-0002\n"
        "    paths: [\"Dockerfile\"]\n"
        "    statement: the image needs root\n"
        "  - id: DS001\n"
        "    paths: [\"other/Dockerfile\"]\n"
        "  - id: DS029\n"
        "    expired_at: 2001-01-01\n"
        "secrets:\n"
        "  - id: BW-DF-042\n"   # a lint rule listed as a secret: not this kind
        "vulnerabilities:\n"
        "  - id: CVE-2023-3446\n"
        "    purls: [\"pkg:deb/debian/libssl3\"]\n"
        "licenses:\n"
        "  - id: GPL-3.0\n")
    rc, out, err = lint(bulwark, "-f", "json", "Dockerfile", cwd=tmp_path)
    doc = json.loads(out)
    st = {f["id"]: f for f in doc["findings"]}
    assert st["BW-DF-004"]["status"] == "suppressed"
    assert st["BW-DF-004"]["suppressed_by"] == ".trivyignore.yaml:2: the image needs root"
    assert st["BW-DF-001"]["status"] == "fail"  # path does not match
    assert st["BW-DF-052"]["status"] == "fail"  # expired
    assert "expired" in err and ".trivyignore.yaml:7" in err
    assert st["BW-DF-042"]["status"] == "fail"  # wrong section
    (tmp_path / ".trivyignore.yaml").write_text("misconfigurations:\n  - paths: [x]\n")
    rc, out, err = lint(bulwark, "Dockerfile", cwd=tmp_path)
    assert rc == 3 and ".trivyignore.yaml:2" in err
    (tmp_path / ".trivyignore.yaml").write_text("misconfiguration:\n  - id: DS002\n")
    rc, out, err = lint(bulwark, "Dockerfile", cwd=tmp_path)
    assert rc == 3 and ".trivyignore.yaml:1" in err and "misconfiguration" in err


def test_trivy_ignore_comments_in_dockerfiles(bulwark, tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM debian:12\n"
                 "#trivy:ignore:AVD-DS-0029\n"
                 "# trivy:ignore:DL3008:exp:2999-01-01\n"
                 "RUN apt-get install -y curl\n"
                 "#trivy:ignore:DS002:exp:2001-01-01\n"
                 "USER root\n")
    rc, out, err = lint(bulwark, "-f", "json", str(f))
    st = {(x["id"], x["location"]["line"]): x["status"] for x in json.loads(out)["findings"]}
    assert st[("BW-DF-052", 4)] == "suppressed" and st[("BW-DF-042", 4)] == "suppressed"
    assert st[("BW-DF-053", 4)] == "fail"
    assert st[("BW-DF-004", 6)] == "fail"  # expired
