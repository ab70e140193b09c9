"""Hostile inputs sized to take time (issue 18, "Time"): nothing an attacker sizes is
quadratic, nothing waits forever. Each test runs bulwark under a subprocess timeout far
above what the work needs — a hang guard, not a timing assertion: a quadratic or blocking
path overruns it by orders of magnitude. bench/hostile/run.sh records the times.
"""

import json
import os
import pathlib
import subprocess

import pytest

from hostilegen import deep_paths_layout
from imagegen import E, OciImage, hexof, layer_tar, sha256

HANG_GUARD = 300  # seconds; the work below takes a few seconds under ASan


def run_guarded(bulwark, args, **kw):
    try:
        return bulwark.run(args, timeout=HANG_GUARD, **kw)
    except subprocess.TimeoutExpired:
        pytest.fail(f"bulwark {' '.join(map(str, args))} still running after {HANG_GUARD} s")


# ------------------------------------------------------------------ 10. deep paths


def test_deep_paths_merge_in_bounded_time(bulwark, tmp_path):
    """40,000 files 2,040 directories deep (a 1.7 MB layer): every ancestor lookup of the
    merge used to rehash every prefix of every path."""
    n, depth = 40000, 2040
    d = deep_paths_layout(tmp_path / "deep", n_files=n, depth=depth)
    rc, out, err = run_guarded(bulwark, ["image", "inspect", "-f", "json", f"oci:{d}"])
    assert rc == 0, err[-2000:]
    doc = json.loads(out)
    # the files, and the directories the engine would make for them
    assert doc["totals"]["files"] == n + depth, doc["totals"]


# ------------------------------------------------------------ 11. FIFOs in a layout


@pytest.mark.parametrize("where", ["index.json", "manifest.json", "oci-layout", "layer", "config"])
def test_fifo_in_an_oci_layout_never_blocks(bulwark, tmp_path, where):
    """Nobody writes to these FIFOs: an open() that waits for a writer waits forever."""
    img = OciImage([layer_tar([E("etc/", "dir"), E("etc/hostname", data="x\n")])])
    d = img.write_dir(tmp_path / "oci")
    name = {"layer": "blobs/sha256/" + hexof(sha256(img.layers[0]["blob"])),
            "config": "blobs/sha256/" + hexof(sha256(img.config_blob()))}.get(where, where)
    p = d / name
    if p.exists():
        p.unlink()
    os.mkfifo(p)
    rc, out, err = bulwark.run(["image", "files", f"oci:{d}"], timeout=60)
    if where == "oci-layout":
        assert rc == 0, err  # not needed to read the image: never opened
        return
    assert rc == 3, f"exit {rc}: {err}"
    assert name in err and "not a regular file" in err, err
