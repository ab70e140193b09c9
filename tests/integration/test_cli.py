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
