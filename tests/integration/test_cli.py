"""The command-line contract every command shares: help, version, usage errors,
exit codes and --output. Commands are read from `bulwark --help`, so a new
command is covered the day it lands."""

import json
import re

import pytest


def _commands(bulwark):
    rc, out, _ = bulwark.run(["--help"])
    assert rc == 0
    block = out.split("commands:", 1)[1]
    names = re.findall(r"^  (\S+)\s", block, re.M)
    return [n for n in names if n != "help"]


def test_version(bulwark):
    rc, out, _ = bulwark.run(["--version"])
    assert rc == 0 and re.match(r"^bulwark \d+\.\d+\.\d+", out)


def test_every_command_has_help(bulwark):
    names = _commands(bulwark)
    assert {"image", "fs", "lint", "vercmp"} <= set(names)
    for name in names:
        rc, out, err = bulwark.run([name, "--help"])
        assert rc == 0, (name, err)
        assert out.startswith(f"usage: bulwark {name}"), (name, out[:80])
        rc2, out2, _ = bulwark.run(["help", name])
        assert rc2 == 0 and out2 == out, name


@pytest.mark.parametrize("args", [["--bogus-option"], ["-Z"]])
def test_unknown_option_is_one_line_and_usage(bulwark, args):
    for name in _commands(bulwark):
        rc, out, err = bulwark.run([name, *args, "x"])
        assert rc == 2, (name, err)
        lines = err.strip().splitlines()
        assert lines[0].startswith(f"bulwark {name}:") and args[0] in lines[0], (name, err)
        assert lines[1].startswith(f"usage: bulwark {name}"), (name, err)
        assert out == ""


def test_missing_option_value_and_operand(bulwark):
    rc, _, err = bulwark.run(["image", "--output"])
    assert rc == 2 and "needs a value" in err
    rc, _, err = bulwark.run(["image", "inspect"])
    assert rc == 2 and "missing TARGET" in err
    rc, _, err = bulwark.run(["image", "--format", "xml", "x"])
    assert rc == 2 and "xml" in err
    rc, _, err = bulwark.run(["image", "--severity", "bad", "x"])
    assert rc == 2 and "bad" in err
    rc, _, err = bulwark.run(["image", "--exit-code", "999", "x"])
    assert rc == 2


def test_unknown_command(bulwark):
    rc, out, err = bulwark.run(["frobnicate"])
    assert rc == 2 and "frobnicate" in err and "usage:" in err and out == ""


def test_input_errors_exit_3_and_name_the_input(bulwark, tmp_path):
    missing = tmp_path / "no-such.tar"
    rc, _, err = bulwark.run(["image", "inspect", f"docker-archive:{missing}"])
    assert rc == 3 and str(missing) in err
    notar = tmp_path / "not-an-image.tar"
    notar.write_bytes(b"hello, this is not a tar archive at all" * 40)
    rc, _, err = bulwark.run(["image", "inspect", str(notar)])
    assert rc == 3 and str(notar) in err


def test_unreachable_engine_is_exit_3(bulwark, tmp_path):
    sock = tmp_path / "nothing.sock"
    rc, _, err = bulwark.run(["image", "inspect", "docker:whatever:1"], env={"DOCKER_HOST": f"unix://{sock}"})
    assert rc == 3 and str(sock) in err


def test_output_file_and_quiet(bulwark, tmp_path):
    out_file = tmp_path / "report.json"
    rc, out, err = bulwark.run(["fs", "--quiet", "--format", "json", "--output", str(out_file), str(tmp_path)])
    assert rc == 0 and out == "" and err == ""
    report = json.loads(out_file.read_text())
    assert report["schema"] == "bulwark.report/v1"
    assert report["target"] == {"type": "filesystem", "name": str(tmp_path)}
    rc, _, err = bulwark.run(["fs", "--output", str(tmp_path / "no" / "dir" / "r.json"), str(tmp_path)])
    assert rc == 3 and "r.json" in err


def test_no_progress_when_stderr_is_not_a_terminal(bulwark, tmp_path):
    (tmp_path / "f").write_text("x")
    rc, _, err = bulwark.run(["fs", str(tmp_path)])
    assert rc == 0 and "\r" not in err and "\033[" not in err


KEEP = b"an earlier report that a usage error must not touch\n"
VECTOR = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"


def _validation_inputs(tmp_path):
    """A one-layer root filesystem, a Dockerfile and a database path: operands that are
    fine, so that the one bad option is the only reason to fail."""
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "hostname").write_text("box\n")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian:12\nUSER app\n")
    from trustutil import new_key_pair
    signkey, signpub = new_key_pair(tmp_path, "sign")
    return {"ROOT": str(root), "TARGET": f"dir:{root}", "DOCKERFILE": str(dockerfile),
            "DB": str(tmp_path / "db.sqlite"), "KEYPREFIX": str(tmp_path / "kp"), "SIGNKEY": str(signkey),
            "SIGNPUB": str(signpub)}


# Per command: a valid invocation ("OUT" stands for the output file, where the command
# writes one), to which the test adds --severity with a bad name. Options go before the
# operands: vercmp stops parsing at its first one.
_VALID = {
    "image": ["image", "-o", "OUT", "TARGET"],
    "fs": ["fs", "-o", "OUT", "ROOT"],
    "sbom": ["sbom", "-o", "OUT", "TARGET"],
    "db": ["db", "info", "-o", "OUT", "--db", "DB"],
    "lint": ["lint", "-o", "OUT", "DOCKERFILE"],
    "config": ["config", "-o", "OUT", "ROOT"],
    "net": ["net", "graph", "-o", "OUT", "ROOT"],
    "audit": ["audit", "-o", "OUT", "--offline"],
    "vercmp": ["vercmp", "deb", "1", "2"],
    "cvss": ["cvss", "-o", "OUT", VECTOR],
    "cache": ["cache", "info", "-o", "OUT"],
    # nothing listens on port 1: a failed listing (exit 3), not a usage error
    "registry": ["registry", "ls", "-o", "OUT", "--insecure-registry", "127.0.0.1:1", "127.0.0.1:1"],
    "key": ["key", "generate", "--output-key-prefix", "KEYPREFIX"],
    "sign": ["sign", "--key", "SIGNKEY", "--insecure-registry", "127.0.0.1:1", "127.0.0.1:1/x:v1"],
    "verify": ["verify", "-o", "OUT", "--key", "SIGNPUB", "--insecure-registry", "127.0.0.1:1",
               "127.0.0.1:1/x:v1"],
    "attest": ["attest", "--key", "SIGNKEY", "--predicate", "DOCKERFILE", "--insecure-registry",
               "127.0.0.1:1", "127.0.0.1:1/x:v1"],
    "verify-attestation": ["verify-attestation", "-o", "OUT", "--key", "SIGNPUB", "--insecure-registry",
                           "127.0.0.1:1", "127.0.0.1:1/x:v1"],
    "monitor": ["monitor", "-o", "OUT", "--dry-run"],
    # an image never learned (or no engine): exit 3
    "profile": ["profile", "-o", "OUT", "--seccomp", "bwtest/never-learned:1"],
}
# Invocations that only a full validation rejects (a format the command or subcommand
# does not write, a number out of range, options that do not go together, an operand
# missing), with a word of the message. image (scan), fs and lint write every format.
_BAD_OPTIONS = [
    (["image", "inspect", "-o", "OUT", "-f", "sarif", "TARGET"], "table or json"),
    (["image", "files", "-o", "OUT", "-f", "cyclonedx", "TARGET"], "table or json"),
    (["image", "files", "-o", "OUT", "--layer", "5", "TARGET"], "1 layers"),
    (["image", "cat", "-o", "OUT", "--layer", "0", "TARGET", "/etc/hostname"], "--layer"),
    (["image", "-o", "OUT", "--jobs", "0", "TARGET"], "--jobs"),
    (["sbom", "-o", "OUT", "-f", "sarif", "TARGET"], "cyclonedx"),
    (["db", "info", "-o", "OUT", "-f", "sarif", "--db", "DB"], "table or json"),
    (["db", "import", "-o", "OUT", "--db", "DB"], "PATH"),
    (["db", "update", "-o", "OUT", "--db", "DB"], "--ecosystem"),
    (["db", "update", "-o", "OUT", "--ecosystem", "Go", "--base-url", "ftp://mirror.example", "--db", "DB"],
     "--base-url"),
    (["lint", "-o", "OUT", "--exit-code", "300", "DOCKERFILE"], "--exit-code"),
    (["config", "-o", "OUT", "-f", "spdx", "ROOT"], "spdx"),
    (["net", "graph", "-o", "OUT", "-f", "spdx", "ROOT"], "spdx"),
    (["audit", "-o", "OUT", "-f", "cyclonedx", "--offline"], "cyclonedx"),
    (["cvss", "-o", "OUT", "-f", "sarif", VECTOR], "table or json"),
    (["cache", "info", "-o", "OUT", "-f", "spdx"], "table or json"),
    (["fs", "-o", "OUT", "--scanners", "packages,nope", "ROOT"], "nope"),
    (["registry", "ls", "-o", "OUT", "-f", "sarif", "127.0.0.1:1"], "table or json"),
    (["image", "-o", "OUT", "--password-stdin", "TARGET"], "--username"),
    (["sbom", "-o", "OUT", "--image-src", "engine,ftp", "TARGET"], "--image-src"),
    (["key", "generate", "--output-key-prefix", ""], "needs a name"),
    (["sign", "--key", "SIGNKEY", "--registry-referrers-mode", "v2", "127.0.0.1:1/x:v1"],
     "oci-1-1"),
    (["verify", "-o", "OUT", "--key", "SIGNPUB", "-f", "sarif", "127.0.0.1:1/x:v1"], "table or json"),
    (["attest", "--key", "SIGNKEY", "--type", "nope", "127.0.0.1:1/x:v1"], "predicate type"),
    (["verify-attestation", "-o", "OUT", "--key", "SIGNPUB", "-f", "sarif", "127.0.0.1:1/x:v1"], "table or json"),
    (["monitor", "-o", "OUT", "-f", "sarif", "--dry-run"], "json or table"),
    (["profile", "-o", "OUT", "--seccomp", "--caps", "bwtest/never-learned:1"], "not both"),
]


def _expect_usage_error_output_untouched(bulwark, args, inputs, out_file, word):
    out_file.write_bytes(KEEP)
    args = [str(out_file) if a == "OUT" else inputs.get(a, a) for a in args]
    rc, out, err = bulwark.run(args)
    assert rc == 2, (args, rc, err)
    assert err.startswith(f"bulwark {args[0]}:") and word in err, (args, err)
    assert out_file.read_bytes() == KEEP, (args, "the output file was opened before the usage error")


def test_bad_severity_leaves_the_output_file_untouched(bulwark, tmp_path, monkeypatch):
    monkeypatch.setenv("BULWARK_PASSWORD", "x")  # key generate's, never a terminal prompt
    inputs = _validation_inputs(tmp_path)
    names = _commands(bulwark)
    assert set(names) <= set(_VALID), "a new command: add a valid invocation above"
    for name in names:
        args = _VALID[name]
        rc, _, err = bulwark.run([str(tmp_path / "ok.out") if a == "OUT" else inputs.get(a, a) for a in args])
        assert rc != 2, (args, err)  # db info fails (exit 3): no database yet
        at = args.index("OUT") + 1 if "OUT" in args else 1
        bad = [*args[:at], "--severity", "SEVERE", *args[at:]]
        # a command without --severity rejects the option itself
        word = "SEVERE" if name in _SEVERITY else "unknown option '--severity'"
        _expect_usage_error_output_untouched(bulwark, bad, inputs, tmp_path / f"{name}.out", word)


_SEVERITY = {"image", "fs", "sbom", "lint", "config", "net", "audit", "monitor"}  # sbom: for sbom scan


# Shared options some commands do not implement: each a usage error (exit 2), before
# any output file is opened. (help --options COMMAND lists each command's table.)
_UNLISTED = [
    ["vercmp", "-f", "json", "deb", "1", "2"],
    ["vercmp", "-o", "OUT", "deb", "1", "2"],
    ["vercmp", "--quiet", "deb", "1", "2"],
    ["vercmp", "deb", "1", "2", "--format"],  # after the operands too
    ["key", "generate", "-o", "OUT"],
    ["cvss", "-q", VECTOR],
    ["cache", "info", "--severity", "HIGH"],
    ["registry", "ls", "--exit-code", "1", "127.0.0.1:1"],
    ["sign", "-o", "OUT", "--key", "SIGNKEY", "127.0.0.1:1/x:v1"],
    ["fs", "--platform", "linux/amd64", "ROOT"],
]


def test_commands_reject_shared_options_they_do_not_implement(bulwark, tmp_path):
    """vercmp -f json, key generate -o FILE, cvss -q...: an option a command does
    not implement is a usage error, not silently ignored."""
    inputs = _validation_inputs(tmp_path)
    for i, args in enumerate(_UNLISTED):
        opt = next(a for a in args if a.startswith("-"))
        _expect_usage_error_output_untouched(bulwark, args, inputs, tmp_path / f"u{i}.out", f"unknown option '{opt}'")
    rc, out, _ = bulwark.run(["help", "--options", "vercmp"])
    assert rc == 0 and out.split() == ["batch", "in", "help"]


def test_options_are_validated_before_the_output_file_is_opened(bulwark, tmp_path):
    inputs = _validation_inputs(tmp_path)
    for i, (args, word) in enumerate(_BAD_OPTIONS):
        _expect_usage_error_output_untouched(bulwark, args, inputs, tmp_path / f"case{i}.out", word)
    assert {a[0] for a, _ in _BAD_OPTIONS} >= set(_commands(bulwark)) - {"vercmp"}


def test_tables_escape_control_bytes_from_the_image(bulwark, tmp_path):
    """A name or configuration string that would drive the terminal is shown as \\xNN;
    tabs and valid UTF-8 are shown as they are; JSON keeps the exact bytes."""
    from imagegen import E, OciImage, layer_tar

    names = ["etc/esc\x1b[2Jred", "etc/nl\nfake", "etc/c1\u009b31m", "etc/tab\tok", "etc/café"]
    img = OciImage([layer_tar([E("etc", "dir")] + [E(n, data="x") for n in names])],
                   config={"Env": ["A=\x1b]0;title\x07", "B=ok"], "Labels": {"l\x7f": "v\u0085w"}},
                   history=[{"created": "2023-11-14T22:13:20Z", "created_by": "RUN x \\\n\tcontinued"}])
    target = f"oci:{img.write_dir(tmp_path / 'oci')}"

    rc, out, err = bulwark.run(["image", "files", target])
    assert rc == 0, err
    lines = out.splitlines()
    assert "  L0   /etc/esc\\x1b[2Jred" in out and "/etc/nl\\x0afake" in out
    assert "/etc/c1\\xc2\\x9b31m" in out and "/etc/tab\tok" in out and "/etc/café" in out
    assert len(lines) == 6 and not any(c in out for c in "\x1b\x9b\x7f")

    rc, out, err = bulwark.run(["image", "inspect", target])
    assert rc == 0, err
    assert "  A=\\x1b]0;title\\x07\n" in out and "  B=ok\n" in out
    assert "  l\\x7f=v\\xc2\\x85w\n" in out
    assert "RUN x \\\\x0a\tcontinued" in out
    assert not any(c in out for c in "\x1b\x07\x7f")

    files = bulwark.json(["image", "files", "--format", "json", target])["files"]
    assert {f["path"] for f in files} == {"/etc"} | {"/" + n for n in names}
