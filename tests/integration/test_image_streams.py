"""Streams: `image -` reads a `docker save` stream from standard input (a pipe: never
seeking; plain, gzip or zstd), and `image files` / `image cat` work on every target kind —
compressed archives, standard input and engine images included — by reading the stream again
up to the member of the file's layer (standard input: the copy kept while it streamed). Every
answer is checked against the seekable archive's, byte for byte; the seekable reads are
themselves checked against `docker run … cat` in test_image_reader.py."""

import gzip
import json

import pytest

from imagegen import zstd_bytes
from test_image_reader import test_images  # noqa: F401 (fixture)

# a file of the top layer, a symlink chain, and hard links whose bytes are in an earlier layer
PATHS = ["/opt/links/target", "/opt/links/chain", "/opt/links/hard-later"]


@pytest.fixture(scope="module")
def links(test_images, tmp_path_factory):  # noqa: F811
    img = test_images("links")
    raw = img.archive.read_bytes()
    d = tmp_path_factory.mktemp("streams")
    gz, zst = d / "links.tar.gz", d / "links.tar.zst"
    gz.write_bytes(gzip.compress(raw, compresslevel=1))
    zst.write_bytes(zstd_bytes(raw, level=1))
    return img, raw, gz, zst


@pytest.fixture(scope="module")
def seekable_cats(bulwark, links):
    """What `image cat` gives from the seekable archive, per path."""
    img = links[0]
    out = {}
    for path in PATHS:
        rc, want, err = bulwark.run_bytes(["image", "cat", f"docker-archive:{img.archive}", path])
        assert rc == 0, err
        out[path] = want
    return out


def strip_target(doc):
    doc = dict(doc)
    doc.pop("target", None)
    return doc


def test_image_reads_a_docker_save_stream_from_standard_input(bulwark, links):
    img, raw, gz, zst = links
    archive = f"docker-archive:{img.archive}"
    inspect = strip_target(bulwark.json(["image", "inspect", "-f", "json", archive]))
    files = bulwark.json(["image", "files", "-f", "json", archive])["files"]
    for data in (raw, gz.read_bytes(), zst.read_bytes()):
        rc, out, err = bulwark.run_bytes(["image", "inspect", "-f", "json", "-"], input=data)
        assert rc == 0, err
        got = json.loads(out)
        assert got["target"]["name"] == "-"
        assert strip_target(got) == inspect
        rc, out, err = bulwark.run_bytes(["image", "files", "-f", "json", "-"], input=data)
        assert rc == 0, err
        assert json.loads(out)["files"] == files
    # a scan, and the prefixed form
    rc, out, err = bulwark.run_bytes(["image", "--scanners", "secret,config", "-f", "json", "docker-archive:-"],
                                     input=gz.read_bytes())
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["target"]["name"] == "docker-archive:-" and doc["target"]["digest"] == inspect["config_digest"]
    # what is not an image says so, naming standard input
    rc, _, err = bulwark.run_bytes(["image", "inspect", "-"], input=b"not a tar at all\n" * 64)
    assert rc == 3 and "standard input" in err, err
    rc, _, err = bulwark.run_bytes(["image", "--username", "u", "--password-stdin", "-"], input=raw)
    assert rc == 2 and "standard input" in err, err


@pytest.mark.parametrize("kind", ["gzip", "zstd", "stdin", "stdin-gzip", "docker"])
def test_cat_and_files_on_every_target_kind(bulwark, links, seekable_cats, kind):
    img, raw, gz, zst = links
    target, data = {"gzip": (str(gz), None), "zstd": (f"docker-archive:{zst}", None), "stdin": ("-", raw),
                    "stdin-gzip": ("-", gz.read_bytes()), "docker": (f"docker:{img.tag}", None)}[kind]
    archive = f"docker-archive:{img.archive}"
    for path in PATHS:
        rc, got, err = bulwark.run_bytes(["image", "cat", target, path], input=data)
        assert rc == 0, (path, err)
        assert got == seekable_cats[path], path
    if kind in ("gzip", "docker"):
        rc, out, err = bulwark.run_bytes(["image", "files", "-f", "json", target])
        assert rc == 0, err
        assert json.loads(out)["files"] == bulwark.json(["image", "files", "-f", "json", archive])["files"]
    # a path that is not a file is still an error about the path
    rc, _, err = bulwark.run_bytes(["image", "cat", target, "/opt/links/nope"], input=data)
    assert rc == 3 and "/opt/links/nope" in err


def test_missing_archive_stays_an_error_about_the_file(bulwark, tmp_path):
    for target in ("docker-archive:missing.tar", "./missing.tar.gz"):
        for cmd in (["image", "cat"], ["image", "files"]):
            args = [*cmd, target] + (["/etc/passwd"] if cmd[1] == "cat" else [])
            rc, _, err = bulwark.run(args, cwd=tmp_path, env={"DOCKER_HOST": f"unix://{tmp_path}/none.sock"})
            assert rc == 3 and "missing.tar" in err and "no such file" in err.lower(), (args, err)
            assert "Engine" not in err
