"""Messages that hid their cause (issue 18, item 17): each error must name what really went
wrong — the archive's own error through docker:, a member that is not JSON rather than "too
large", a redirect rather than "an empty answer", a header too large rather than "out of
memory", a separator between a prefix and its cause — and `image cat` must print the copy of
a file that extraction keeps. Every input is generated here."""

import io
import os
import tarfile

from fakeengine import FakeEngine, reply
from imagegen import E, MTIME, docker_archive_files, layer_tar

IMAGE_ID = "sha256:" + "ab" * 32


def tar_bytes(members):
    """A plain tar of [(name, bytes)] in the order given, duplicates kept."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, b in members:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode, ti.mtime = len(b), 0o644, MTIME
            t.addfile(ti, io.BytesIO(b))
    return buf.getvalue()


def error_lines(err, cmd="image"):
    return "\n".join(l for l in err.splitlines() if l.startswith(f"bulwark {cmd}: error:"))


def run_engine(bulwark, tmp_path, answer, args):
    with FakeEngine(tmp_path / "engine.sock", answer) as eng:
        return bulwark.run(args, env={"DOCKER_HOST": eng.host}, timeout=120)


# ------------------------------------------ docker: the archive's error, not the pump's


def test_docker_export_reports_the_archives_error_not_the_reader_stopping(bulwark, tmp_path):
    """An export whose second manifest.json is an integrity error, followed by 8 MiB the
    engine is still sending when the walk stops: the error is the archive's."""
    fl = docker_archive_files([layer_tar([E("etc/", "dir"), E("etc/hostname", data="x\n")])])
    members = list(fl.items()) + [("manifest.json", fl["manifest.json"]), ("pad", b"\0" * (8 << 20))]
    archive = tar_bytes(members)

    def answer(method, path):
        if path.endswith("/images/dup/json"):
            return reply(200, {"Id": IMAGE_ID})
        if path.endswith("/images/dup/get"):
            return reply(200, archive, {"Content-Type": "application/x-tar"})
        return None

    rc, out, err = run_engine(bulwark, tmp_path, answer, ["image", "files", "docker:dup"])
    assert rc == 3, f"exit {rc}: {err[-2000:]}"
    text = error_lines(err)
    assert "manifest.json" in text, err[-2000:]
    assert "reader stopped" not in err, err[-2000:]


# ------------------------------------------------ a streamed member that is not JSON


def test_streamed_manifest_that_is_not_json_is_called_so(bulwark, tmp_path):
    raw = tar_bytes([("manifest.json", b"hello")])
    rc, out, err = bulwark.run(["image", "files", "docker-archive:/dev/stdin"], input=raw, timeout=60)
    assert rc == 3, f"exit {rc}: {err}"
    text = error_lines(err)
    assert "manifest.json" in text and "not valid JSON" in text, err
    assert "larger than" not in text, err


def test_streamed_empty_manifest_is_called_empty(bulwark, tmp_path):
    raw = tar_bytes([("manifest.json", b"")])
    rc, out, err = bulwark.run(["image", "files", "docker-archive:/dev/stdin"], input=raw, timeout=60)
    assert rc == 3, f"exit {rc}: {err}"
    text = error_lines(err)
    assert "manifest.json" in text and "larger than" not in text, err


# ------------------------------------------------------------ engine answers


def test_engine_redirect_is_an_error_naming_it(bulwark, tmp_path):
    def answer(method, path):
        if path.endswith("/images/x/json"):
            return reply(301, b"", {"Location": "http://elsewhere.invalid/images/x/json"})
        return None

    rc, out, err = run_engine(bulwark, tmp_path, answer, ["image", "files", "docker:x"])
    assert rc == 3, f"exit {rc}: {err}"
    text = error_lines(err)
    assert "HTTP 301" in text and "redirect" in text and "elsewhere.invalid" in text, err
    assert "empty" not in text, err


def test_engine_redirect_of_an_export_is_not_read_as_the_archive(bulwark, tmp_path):
    """A 302 with a body: the body is not an image export."""
    fl = docker_archive_files([layer_tar([E("etc/", "dir"), E("etc/hostname", data="x\n")])])

    def answer(method, path):
        if path.endswith("/images/r/json"):
            return reply(200, {"Id": IMAGE_ID})
        if path.endswith("/images/r/get"):
            return reply(302, tar_bytes(list(fl.items())), {"Location": "/elsewhere"})
        return None

    rc, out, err = run_engine(bulwark, tmp_path, answer, ["image", "files", "docker:r"])
    assert rc == 3, f"exit {rc}: {out[-500:]}{err[-2000:]}"
    assert "HTTP 302" in error_lines(err), err


def huge_header_line(conn):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Big: " + b"a" * (10 << 20) +
                 b"\r\nContent-Length: 2\r\n\r\n{}")


def many_header_lines(conn):
    """2,000 header lines of 67 bytes: 134 kB, under curl's own limit, over bulwark's."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" +
                 (b"X-A: " + b"b" * 60 + b"\r\n") * 2000 + b"Content-Length: 2\r\n\r\n{}")


def test_engine_answer_with_a_10_mb_header_line_names_the_header(bulwark, tmp_path):
    rc, out, err = run_engine(bulwark, tmp_path,
                              lambda m, p: huge_header_line if p.endswith("/images/x/json") else None,
                              ["image", "files", "docker:x"])
    assert rc == 3, f"exit {rc}: {err}"
    text = error_lines(err)
    assert "header" in text and "/images/x/json" in text, err
    assert "Out of memory" not in text, err


def test_engine_answer_with_too_many_header_lines_names_the_limit(bulwark, tmp_path):
    rc, out, err = run_engine(bulwark, tmp_path,
                              lambda m, p: many_header_lines if p.endswith("/images/x/json") else None,
                              ["image", "files", "docker:x"])
    assert rc == 3, f"exit {rc}: {err}"
    text = error_lines(err)
    assert "headers are larger than 65536 bytes" in text and "/images/x/json" in text, err


# ------------------------------------------------------------- db import


def test_db_import_failure_separates_the_prefix_from_the_cause(bulwark, tmp_path):
    rc, out, err = bulwark.run(["db", "import", "--db", tmp_path / "v.db", "/dev/null"])
    assert rc == 3, err
    assert "the database is unchanged: /dev/null" in err, err


# ------------------------------------------------------------- image cat


def test_image_cat_of_a_path_listed_twice_prints_the_copy_extraction_keeps(bulwark, tmp_path):
    """A layer lists /etc/motd twice and a hard link to the first copy: extraction keeps
    the second copy at /etc/motd and the first behind the hard link."""
    layer = layer_tar([E("etc/", "dir"), E("etc/motd", data="first copy\n"),
                       E("etc/link", "hardlink", link="etc/motd"),
                       E("etc/motd", data="second copy\n"), E("etc/other", data="other\n")])
    fl = docker_archive_files([layer])
    p = tmp_path / "twice.tar"
    p.write_bytes(tar_bytes(list(fl.items())))
    rc, out, err = bulwark.run(["image", "cat", f"docker-archive:{p}", "/etc/motd"])
    assert rc == 0, err
    assert out == "second copy\n", repr(out)
    rc, out, err = bulwark.run(["image", "cat", f"docker-archive:{p}", "/etc/link"])
    assert rc == 0, err
    assert out == "first copy\n", repr(out)
