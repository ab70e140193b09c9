"""The parsers' sandbox (issue #18, docs/security.md): once a command that reads untrusted
input is past its start-up, the process can read only its inputs (Landlock), makes no new
socket and runs no program (seccomp), and a refused call is reported, not a crash.

BULWARK_SANDBOX_SELFTEST=open|socket|exec makes bulwark try, once inside the sandbox, what
the sandbox forbids and say whether it was refused; under --no-sandbox it is never read.
Every other integration test runs sandboxed too: the sandbox is on by default."""

import json

import pytest

from imagegen import E, layer_tar, write_docker_archive

OSV = {
    "id": "GHSA-sbx0-0000-0001",
    "modified": "2024-01-01T00:00:00Z",
    "summary": "sandbox test advisory",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "sbxpkg"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]}],
}

VEX = {
    "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex-1", "author": "t",
    "timestamp": "2024-01-01T00:00:00Z", "version": 1,
    "statements": [{"vulnerability": {"name": "CVE-2024-0001"}, "products": [{"@id": "pkg:pypi/sbxpkg@0.5"}],
                    "status": "not_affected", "justification": "component_not_present"}],
}


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "img.tar"
    write_docker_archive(path, [layer_tar([E("etc/"), E("etc/os-release", data=b"ID=debian\nVERSION_ID=12\n"),
                                           E("app/"), E("app/key.txt", data=b"nothing secret\n")])])
    return path


def landlock_on(err):
    return "sandbox: landlock ABI" in err


def test_open_of_a_file_that_is_not_an_input_is_refused(bulwark, archive):
    rc, out, err = bulwark.run(["image", "--debug", "-f", "json", archive], env={"BULWARK_SANDBOX_SELFTEST": "open"})
    assert rc == 0, err
    json.loads(out)  # the scan went on, confined
    if not landlock_on(err):
        pytest.skip("this kernel offers no Landlock: " + err)
    # /etc/passwd is readable by everyone: only the sandbox refuses it
    assert "sandbox self-test: open /etc/passwd: refused: Permission denied" in err, err
    assert "sandbox self-test: open /etc/shadow: refused" in err, err
    assert "NOT refused" not in err


def test_a_new_socket_is_refused_and_reported(bulwark, archive):
    rc, out, err = bulwark.run(["image", "-f", "json", archive], env={"BULWARK_SANDBOX_SELFTEST": "socket"})
    assert rc == 0, err
    json.loads(out)
    assert "bulwark image: refused by the sandbox: system call socket" in err, err
    assert "sandbox self-test: socket: refused: Operation not permitted" in err, err


def test_execve_is_refused_and_reported(bulwark, archive):
    # were it let through, /bin/true would replace bulwark: no report, no line
    rc, out, err = bulwark.run(["image", "-f", "json", archive], env={"BULWARK_SANDBOX_SELFTEST": "exec"})
    assert rc == 0, err
    assert json.loads(out)["target"]["type"] == "image"
    assert "bulwark image: refused by the sandbox: system call execve" in err, err
    assert "sandbox self-test: exec: refused: Operation not permitted" in err, err


@pytest.mark.parametrize("how", ["option", "env", "config"])
def test_no_sandbox_turns_it_off_and_the_self_test_with_it(bulwark, archive, tmp_path, how):
    (tmp_path / "bulwark.yaml").write_text("no-sandbox: true\n")
    args = ["image", "--debug", "-f", "json", archive] + (["--no-sandbox"] if how == "option" else [])
    env = {"BULWARK_SANDBOX_SELFTEST": "exec"}
    if how == "env":
        env["BULWARK_NO_SANDBOX"] = "1"
    if how == "config":
        env["BULWARK_CONFIG"] = str(tmp_path / "bulwark.yaml")
    rc, out, err = bulwark.run(args, env=env)
    assert rc == 0, err
    json.loads(out)
    assert "bulwark image: sandbox: off (--no-sandbox)" in err, err
    assert "self-test" not in err and "refused" not in err, err


def test_debug_says_what_was_applied(bulwark, archive):
    rc, out, err = bulwark.run(["image", "--debug", "--scanners", "packages", archive])
    assert rc == 0, err
    assert "bulwark image: sandbox: no_new_privs set" in err
    assert "bulwark image: sandbox: seccomp: an allow-list of" in err and "new sockets refused" in err
    assert "bulwark image: sandbox: limits: file size" in err
    if landlock_on(err):
        assert f"read {archive}" in err, err
        assert "/etc/passwd" not in err and "read /etc," not in err


def test_every_parsing_command_is_confined(bulwark, archive, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM debian:12\nRUN true\n")
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.25\n")
    (tmp_path / "osv.json").write_text(json.dumps(OSV))
    (tmp_path / "vex.json").write_text(json.dumps(VEX))
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "x.txt").write_text("x\n")
    runs = [
        ["lint", "--no-shellcheck", tmp_path / "Dockerfile"],
        ["config", tmp_path / "compose.yaml"],
        ["db", "import", "--db", tmp_path / "db.sqlite", tmp_path / "osv.json"],
        ["fs", tmp_path / "root"],
        ["sbom", archive],
        ["image", "inspect", archive],
        ["image", "--vex", tmp_path / "vex.json", archive],
    ]
    for args in runs:
        rc, out, err = bulwark.run(args, env={"BULWARK_SANDBOX_SELFTEST": "socket"}, cwd=tmp_path)
        name = args[0]
        assert rc in (0, 1), (args, rc, err)
        assert f"bulwark {name}: sandbox self-test: socket: refused" in err, (args, rc, err)
        assert f"bulwark {name}: refused by the sandbox: system call socket" in err, (args, rc, err)


def test_lint_with_shellcheck_runs_unconfined_and_says_so(bulwark, tmp_path):
    """ShellCheck is a program and the sandbox refuses execve: lint enters it only with
    --no-shellcheck (above), and --debug says why it did not."""
    (tmp_path / "Dockerfile").write_text("FROM debian:12\nRUN echo $1\n")
    rc, out, err = bulwark.run(["lint", "--debug", "--no-fail", tmp_path / "Dockerfile"],
                               env={"BULWARK_SANDBOX_SELFTEST": "socket"})
    assert rc == 0, err
    assert "sandbox: not entered: ShellCheck runs" in err, err
    assert "refused by the sandbox" not in err, err


def test_output_is_written_through_the_sandbox_and_kept_on_failure(bulwark, archive, tmp_path):
    out_dir = tmp_path / "elsewhere"
    out_dir.mkdir()
    report = out_dir / "r.json"
    rc, out, err = bulwark.run(["image", "-f", "json", "-o", report, archive])
    assert rc == 0, err
    assert json.loads(report.read_text())["target"]["type"] == "image"
    # a scan that fails leaves an existing output as it was (truncated only to write a report)
    report.write_text("old report\n")
    broken = tmp_path / "broken.tar"
    broken.write_bytes(archive.read_bytes()[:3000])
    rc, out, err = bulwark.run(["image", "-f", "json", "-o", report, broken])
    assert rc == 3, err
    assert report.read_text() == "old report\n"
